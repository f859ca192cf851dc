import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { IdempotencyStore } from './idempotency.store';

export const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

/** Deletes expired idempotency records every few minutes (and once shortly after start). */
@Injectable()
export class IdempotencySweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Idempotency');
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly store: IdempotencyStore) {}

  onApplicationBootstrap(): void {
    const sweep = (): void => void this.sweep();
    this.timers = [setTimeout(sweep, 5000), setInterval(sweep, SWEEP_INTERVAL_MS)];
    for (const timer of this.timers) timer.unref();
  }

  onApplicationShutdown(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }

  async sweep(): Promise<void> {
    try {
      const deleted = await this.store.deleteExpired();
      if (deleted > 0) this.logger.log({ msg: 'expired idempotency records deleted', deleted });
    } catch (error) {
      this.logger.warn({ msg: 'sweeping idempotency records failed', err: String(error) });
    }
  }
}
