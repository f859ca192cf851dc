import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newId } from '@finfusion/contracts';
import { tableOf } from '@finfusion/event-store';
import { Clock, PeriodicTask } from '@finfusion/runtime';
import { PaymentsConfig } from '../../config';
import { RefundOutcomes } from '../create-refund/refund-outcomes';
import { isPayment } from '../domain/payment';
import { PaymentStore } from '../payment.store';

/** Refunds looked at per sweep, the oldest first; the next sweep takes the rest. */
const SWEEP_LIMIT = 100;

/**
 * Completes refunds left pending: the acquirer's answer was lost, or the process died before
 * asking, and no retry came. As the recovery of pending payments does, on the same schedule
 * (PAYMENTS_PENDING_RECOVERY_INTERVAL_MS, for refunds pending longer than
 * PAYMENTS_PENDING_RECOVERY_AFTER_MS), it reads the `refunds` read model and asks the acquirer
 * again with each refund's id as the reference: an answer it already gave is repeated, nothing
 * is paid twice, and the stream records the first outcome only.
 */
@Injectable()
export class PendingRefundRecovery implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PendingRefundRecovery.name);
  private readonly task: PeriodicTask;

  constructor(
    private readonly dataSource: DataSource,
    private readonly payments: PaymentStore,
    private readonly outcomes: RefundOutcomes,
    private readonly clock: Clock,
    private readonly config: PaymentsConfig,
  ) {
    this.task = new PeriodicTask({
      firstDelayMs: config.PAYMENTS_PENDING_RECOVERY_INTERVAL_MS,
      intervalMs: config.PAYMENTS_PENDING_RECOVERY_INTERVAL_MS,
      run: () => this.sweep(),
      onError: (error) => {
        this.logger.error({ err: describe(error) }, 'pending refund sweep failed');
      },
    });
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  /** One pass: completes what it can of the refunds pending for too long; returns how many. */
  async sweep(): Promise<number> {
    const cutoff = new Date(
      this.clock.now().getTime() - this.config.PAYMENTS_PENDING_RECOVERY_AFTER_MS,
    );
    const pending = await this.dataSource.query<{ id: string; payment_id: string }[]>(
      `SELECT id, payment_id FROM ${tableOf(this.dataSource, 'refunds')}
        WHERE status = 'pending' AND created_at < $1
        ORDER BY created_at LIMIT ${SWEEP_LIMIT}`,
      [cutoff],
    );
    let completed = 0;
    for (const { id, payment_id: paymentId } of pending) {
      if (this.task.stopping) break;
      try {
        if (await this.recover(paymentId, id)) completed++;
      } catch (error) {
        this.logger.warn(
          { payment_id: paymentId, refund_id: id, err: describe(error) },
          'pending refund not completed',
        );
      }
    }
    return completed;
  }

  /** Whether the refund has its outcome now. */
  async recover(paymentId: string, refundId: string): Promise<boolean> {
    const { state, version } = await this.payments.load(this.payments.manager, paymentId);
    if (!isPayment(state)) return false;
    const requestId = newId('req');
    const after = await this.outcomes.complete({ state, version }, refundId, {
      merchantId: state.merchantId,
      requestId,
      correlationId: requestId,
    });
    const refund = after.state.refunds.find((r) => r.id === refundId);
    return refund !== undefined && refund.status !== 'pending';
  }
}

const describe = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
