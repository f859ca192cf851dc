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
import { Acquirer } from '../acquirer/acquirer';
import { isPayment } from '../domain/payment';
import { decide, PaymentCommandRejected, type PaymentCommand } from '../domain/payment.decider';
import { PaymentStore } from '../payment.store';

/** Authorizations looked at per sweep, the most overdue first; the next sweep takes the rest. */
const SWEEP_LIMIT = 100;

/** A lost race is decided again on the stream read anew, this many times. */
const RETRIES = 2;

export type ExpiryOutcome = 'canceled' | 'captured' | 'skipped';

/**
 * Cancels the authorizations nobody captured in time. Every AUTHORIZATION_EXPIRY_INTERVAL_MS each
 * replica reads the `payments` read model for payments still requiring capture whose
 * `capture_before` has passed (driven by the table, so it survives restarts), voids each one at
 * the acquirer and appends its cancellation, reason `automatic`.
 *
 * Safe with several replicas and with requests racing it: the acquirer keeps one end per
 * authorization, ExpireAuthorization decides nothing for a payment no longer waiting, and the
 * stream's expected version lets one writer append. When the acquirer answers that a capture came
 * first (its request died before recording it), the capture is what gets recorded.
 */
@Injectable()
export class AuthorizationExpiry implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AuthorizationExpiry.name);
  private readonly task: PeriodicTask;

  constructor(
    private readonly dataSource: DataSource,
    private readonly payments: PaymentStore,
    private readonly acquirer: Acquirer,
    private readonly clock: Clock,
    config: PaymentsConfig,
  ) {
    this.task = new PeriodicTask({
      firstDelayMs: config.AUTHORIZATION_EXPIRY_INTERVAL_MS,
      intervalMs: config.AUTHORIZATION_EXPIRY_INTERVAL_MS,
      run: () => this.sweep(),
      onError: (error) => {
        this.logger.error({ err: describe(error) }, 'authorization expiry sweep failed');
      },
    });
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  /** One pass: ends what it can of the overdue authorizations; returns how many it canceled. */
  async sweep(): Promise<number> {
    const due = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM ${tableOf(this.dataSource, 'payments')}
        WHERE status = 'requires_capture' AND capture_before <= $1
        ORDER BY capture_before LIMIT ${SWEEP_LIMIT}`,
      [this.clock.now()],
    );
    let canceled = 0;
    for (const { id } of due) {
      if (this.task.stopping) break;
      try {
        if ((await this.expire(id)) === 'canceled') canceled++;
      } catch (error) {
        // The acquirer did not answer, say: the next sweep tries again.
        this.logger.warn({ payment_id: id, err: describe(error) }, 'authorization not expired');
      }
    }
    return canceled;
  }

  /** Ends one authorization, unless it is no longer waiting for a capture or not yet due. */
  async expire(paymentId: string): Promise<ExpiryOutcome> {
    const loaded = await this.payments.load(this.payments.manager, paymentId);
    if (!isPayment(loaded.state)) return 'skipped';
    const expire: PaymentCommand = {
      type: 'ExpireAuthorization',
      data: { paymentId, now: this.clock.now() },
    };
    if (decide(expire, loaded.state).length === 0) return 'skipped';

    const end = await this.acquirer.void(paymentId);
    const command: PaymentCommand =
      end.kind === 'voided'
        ? expire
        : {
            type: 'CapturePayment',
            data: { paymentId, amountToCapture: end.amount, now: this.clock.now() },
          };
    const requestId = newId('req');
    try {
      const ended = await this.payments.handleCommand(
        paymentId,
        (state) => decide(command, state),
        {
          from: loaded,
          metadata: { merchantId: loaded.state.merchantId, requestId, correlationId: requestId },
          retries: RETRIES,
        },
      );
      // Another replica, or the request that captured, recorded the end first.
      if (ended.version === loaded.version) return 'skipped';
    } catch (error) {
      if (error instanceof PaymentCommandRejected) return 'skipped';
      throw error;
    }
    const outcome = end.kind === 'voided' ? 'canceled' : 'captured';
    this.logger.log({ payment_id: paymentId, outcome }, 'authorization expired');
    return outcome;
  }
}

const describe = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
