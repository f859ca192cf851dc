import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Clock, PeriodicTask } from '@finfusion/runtime';
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
  private readonly task: PeriodicTask;

  constructor(
    private readonly config: DispatcherConfig,
    private readonly retention: RetentionRepository,
    private readonly clock: Clock,
  ) {
    this.task = new PeriodicTask({
      firstDelayMs: 0,
      intervalMs: this.config.WEBHOOK_SWEEP_INTERVAL_MS,
      run: () => this.scheduledSweep(),
      onError: (error) => {
        this.logger.error(
          { err: error instanceof Error ? error.message : String(error) },
          'sweeping old webhook deliveries failed; trying again at the next sweep',
        );
      },
    });
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.task.stop();
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
    for (let removed = batch; removed === batch && !this.task.stopping;) {
      removed = await this.retention.deleteFinishedDeliveries(cutoffs.deliveriesBefore, batch);
      result.deliveries += removed;
    }
    for (let removed = batch; removed === batch && !this.task.stopping;) {
      removed = await this.retention.deleteReceivedEvents(cutoffs.receivedEventsBefore, batch);
      result.receivedEvents += removed;
    }
    return result;
  }

  private async scheduledSweep(): Promise<void> {
    const result = await this.sweep(this.clock.now());
    if (result.deliveries + result.receivedEvents > 0) {
      this.logger.log(result, 'old webhook deliveries and events removed');
    }
  }
}
