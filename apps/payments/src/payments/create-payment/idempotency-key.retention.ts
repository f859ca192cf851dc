import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PaymentsConfig } from '../../config';
import { tableOf } from '@finfusion/event-store';
import { Clock, PeriodicTask } from '@finfusion/runtime';

const DAY_MS = 24 * 60 * 60 * 1000;
const SWEEP_INTERVAL_MS = 60 * 60 * 1000;
/** Rows deleted per statement: short transactions, no long lock on the table. */
const BATCH_SIZE = 1000;

/**
 * Forgets Idempotency-Keys older than PAYMENTS_IDEMPOTENCY_RETENTION_DAYS, an hour after start
 * and an hour after each sweep ends, in batches. Within that time a key creates one payment,
 * whatever the gateway's 24-hour replay record holds; after it, the key may be used again.
 */
@Injectable()
export class IdempotencyKeyRetention implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(IdempotencyKeyRetention.name);
  private readonly task = new PeriodicTask({
    firstDelayMs: SWEEP_INTERVAL_MS,
    intervalMs: SWEEP_INTERVAL_MS,
    run: () => this.sweep(),
    onError: (error) => {
      this.logger.warn({ err: String(error) }, 'sweeping idempotency keys failed');
    },
  });

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly config: PaymentsConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  /** Deletes the keys past retention; returns how many. */
  async sweep(): Promise<number> {
    const retentionMs = this.config.PAYMENTS_IDEMPOTENCY_RETENTION_DAYS * DAY_MS;
    const cutoff = new Date(this.clock.now().getTime() - retentionMs);
    const table = tableOf(this.dataSource, 'idempotency_keys');
    let deleted = 0;
    for (;;) {
      const [, affected] = await this.dataSource.query<[unknown, number]>(
        `DELETE FROM ${table} WHERE payment_id IN (
           SELECT payment_id FROM ${table} WHERE created_at < $1 LIMIT ${BATCH_SIZE})`,
        [cutoff],
      );
      deleted += affected;
      if (affected < BATCH_SIZE) break;
    }
    if (deleted > 0) this.logger.log({ deleted }, 'idempotency keys past retention deleted');
    return deleted;
  }
}
