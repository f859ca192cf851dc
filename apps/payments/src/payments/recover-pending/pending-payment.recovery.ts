import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { newId } from '@finfusion/contracts';
import { ConcurrencyError, tableOf } from '@finfusion/event-store';
import { PaymentsConfig } from '../../config';
import { Acquirer } from '../acquirer/acquirer';
import { isPayment } from '../domain/payment';
import { decide } from '../domain/payment.decider';
import { PaymentStore, type LoadedPayment } from '../payment.store';
import { recordAuthorization } from '../record-authorization';
import { Clock, PeriodicTask } from '@finfusion/runtime';

/** Payments looked at per sweep; the next sweep takes the rest. */
const SWEEP_LIMIT = 100;

export type RecoveryOutcome = 'settled' | 'skipped';

/**
 * Settles payments left pending: their acquirer call failed (a timeout, a lost answer) or the
 * process died during it, and no client retried. Driven from the database, so it survives
 * restarts: every PAYMENTS_PENDING_RECOVERY_INTERVAL_MS each replica looks for payments pending
 * for longer than PAYMENTS_PENDING_RECOVERY_AFTER_MS and asks the acquirer for the outcome of
 * each one's reference (its payment id: no second charge), then appends that outcome as a
 * request would, so the relay publishes it and webhooks go out.
 *
 * Replicas claim a payment with a transaction-scoped advisory lock, so one asks the acquirer; a
 * client retry racing the recovery gets the same answer from the acquirer for the same
 * reference, and the stream's expected version lets only one of them append it.
 */
@Injectable()
export class PendingPaymentRecovery implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PendingPaymentRecovery.name);
  private readonly task: PeriodicTask;

  constructor(
    private readonly dataSource: DataSource,
    private readonly payments: PaymentStore,
    private readonly acquirer: Acquirer,
    private readonly clock: Clock,
    private readonly config: PaymentsConfig,
  ) {
    this.task = new PeriodicTask({
      firstDelayMs: this.config.PAYMENTS_PENDING_RECOVERY_INTERVAL_MS,
      intervalMs: this.config.PAYMENTS_PENDING_RECOVERY_INTERVAL_MS,
      run: () => this.sweep(),
      onError: (error) => {
        this.logger.error({ err: describe(error) }, 'pending payment sweep failed');
      },
    });
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  /** One pass: settles what it can of the payments pending for too long; returns how many. */
  async sweep(): Promise<number> {
    const cutoff = new Date(
      this.clock.now().getTime() - this.config.PAYMENTS_PENDING_RECOVERY_AFTER_MS,
    );
    const candidates = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM ${tableOf(this.dataSource, 'payments')}
        WHERE status = 'pending' AND created_at < $1
        ORDER BY created_at LIMIT ${SWEEP_LIMIT}`,
      [cutoff],
    );
    let settled = 0;
    for (const { id } of candidates) {
      if (this.task.stopping) break;
      try {
        if ((await this.recover(id)) === 'settled') settled++;
      } catch (error) {
        // The acquirer did not answer either: the next sweep asks again.
        this.logger.warn({ payment_id: id, err: describe(error) }, 'pending payment not settled');
      }
    }
    return settled;
  }

  /** Settles one payment unless another replica is on it or it is no longer pending. */
  recover(paymentId: string): Promise<RecoveryOutcome> {
    return this.dataSource.transaction(async (manager) => {
      if (!(await claim(manager, paymentId))) return 'skipped';
      const loaded = await this.payments.load(manager, paymentId);
      if (!isPayment(loaded.state) || loaded.state.status !== 'pending') return 'skipped';
      const { merchantId } = loaded.state;
      const result = await this.acquirer.settle(paymentId);
      const events = decide(
        recordAuthorization(paymentId, result, this.clock.now(), this.config),
        loaded.state,
      );
      const requestId = newId('req');
      let settled: LoadedPayment;
      try {
        settled = await this.payments.append(manager, paymentId, loaded, events, {
          merchantId,
          requestId,
          correlationId: requestId,
        });
      } catch (error) {
        // A client's retry recorded the (same) outcome first.
        if (error instanceof ConcurrencyError) return 'skipped';
        throw error;
      }
      this.logger.log(
        { payment_id: paymentId, status: settled.state.status },
        'pending payment settled',
      );
      return 'settled';
    });
  }
}

/** Held until the transaction ends; a payment another replica holds is left to it. */
async function claim(manager: EntityManager, paymentId: string): Promise<boolean> {
  const [row] = await manager.query<{ claimed: boolean }[]>(
    `SELECT pg_try_advisory_xact_lock(hashtext('payments.pending-recovery'), hashtext($1)) AS claimed`,
    [paymentId],
  );
  return row?.claimed === true;
}

const describe = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
