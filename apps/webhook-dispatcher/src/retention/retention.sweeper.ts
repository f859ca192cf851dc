import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Clock } from '@finfusion/runtime';
import { DispatcherConfig } from '../config';
import { retentionCutoffs } from './domain/retention-policy';
import { RetentionRepository } from './retention.repository';

export interface SweepResult {
  deliveries: number;
  receivedEvents: number;
}

/**
 * Removes what is kept no longer (see domain/retention-policy.ts): at start, then every
 * WEBHOOK_SWEEP_INTERVAL_MS, in batches of WEBHOOK_SWEEP_BATCH_SIZE rows.
 */
@Injectable()
export class RetentionSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('RetentionSweeper');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly config: DispatcherConfig,
    private readonly retention: RetentionRepository,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Sweeps everything due at `now`, batch after batch, until a batch comes back short. */
  async sweep(now: Date): Promise<SweepResult> {
    const cutoffs = retentionCutoffs(
      {
        deliveryRetentionDays: this.config.WEBHOOK_DELIVERY_RETENTION_DAYS,
        receivedEventRetentionDays: this.config.WEBHOOK_RECEIVED_EVENTS_RETENTION_DAYS,
      },
      now,
    );
    const batch = this.config.WEBHOOK_SWEEP_BATCH_SIZE;
    const result: SweepResult = { deliveries: 0, receivedEvents: 0 };
    // Deliveries first: an event goes only once no delivery refers to it.
    for (let removed = batch; removed === batch && !this.stopped;) {
      removed = await this.retention.deleteFinishedDeliveries(cutoffs.deliveriesBefore, batch);
      result.deliveries += removed;
    }
    for (let removed = batch; removed === batch && !this.stopped;) {
      removed = await this.retention.deleteReceivedEvents(cutoffs.receivedEventsBefore, batch);
      result.receivedEvents += removed;
    }
    return result;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.sweep(this.clock.now())
        .then((result) => {
          if (result.deliveries + result.receivedEvents > 0) {
            this.logger.log(result, 'old webhook deliveries and events removed');
          }
        })
        .catch((error: unknown) => {
          this.logger.error(
            { err: error instanceof Error ? error.message : String(error) },
            'sweeping old webhook deliveries failed; trying again at the next sweep',
          );
        })
        .finally(() => {
          this.running = undefined;
          this.schedule(this.config.WEBHOOK_SWEEP_INTERVAL_MS);
        });
    }, delayMs);
    this.timer.unref();
  }
}
