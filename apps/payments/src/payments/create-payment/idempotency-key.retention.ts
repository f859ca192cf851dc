import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PaymentsConfig } from '../../config';
import { tableOf } from '@finfusion/event-store';
import { Clock } from '@finfusion/runtime';

const DAY_MS = 24 * 60 * 60 * 1000;
const SWEEP_INTERVAL_MS = 60 * 60 * 1000;
/** Rows deleted per statement: short transactions, no long lock on the table. */
const BATCH_SIZE = 1000;

/**
 * Forgets Idempotency-Keys older than PAYMENTS_IDEMPOTENCY_RETENTION_DAYS, an hour after start
 * and every hour after that, in batches. Within that time a key creates one payment, whatever
 * the gateway's 24-hour replay record holds; after it, the key may be used again.
 */
@Injectable()
export class IdempotencyKeyRetention implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(IdempotencyKeyRetention.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly config: PaymentsConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweep()
        .catch((error: unknown) => {
          this.logger.warn({ err: String(error) }, 'sweeping idempotency keys failed');
        })
        .finally(() => {
          this.running = undefined;
        });
    }, SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
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
