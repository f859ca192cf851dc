import type { DataSource, EntityManager } from 'typeorm';
import { Gauge } from 'prom-client';
import {
  checkpointOf,
  START_OF_LOG,
  type Checkpoint,
  type EventStore,
  type StoredEvent,
} from './event-store';

export interface SubscriptionLogger {
  error(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface SubscriptionOptions {
  /** Checkpoint id; one running consumer per name across all replicas. */
  name: string;
  dataSource: DataSource;
  store: EventStore;
  /** Runs in the transaction that then stores the checkpoint: both commit, or neither. */
  handle: (events: StoredEvent[], manager: EntityManager) => Promise<void>;
  logger: SubscriptionLogger;
  batchSize?: number;
  pollIntervalMs?: number;
  retryDelayMs?: number;
}

const lagGauge = new Gauge({
  name: 'event_subscription_lag_events',
  help: 'Committed events not yet handled by a log subscription (a relay: not yet published).',
  labelNames: ['subscription'],
});

const positionGauge = new Gauge({
  name: 'event_subscription_position',
  help: 'Global log position of the last event a subscription handled.',
  labelNames: ['subscription'],
});

/**
 * Follows an event log by position with a stored checkpoint (the relay to Kafka and the
 * asynchronous projections). A transaction-scoped advisory lock lets one replica at a time
 * advance a subscription, so several replicas can run it safely.
 */
export class LogSubscription {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly retryDelayMs: number;

  constructor(private readonly options: SubscriptionOptions) {
    this.batchSize = options.batchSize ?? 200;
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Handles at most one batch; returns how many events it handled. */
  async processBatch(): Promise<number> {
    const { dataSource, store, name, handle } = this.options;
    return dataSource.transaction(async (manager) => {
      const [lock] = await manager.query<{ locked: boolean }[]>(
        `SELECT pg_try_advisory_xact_lock(hashtext('log-subscription'), hashtext($1)) AS locked`,
        [name],
      );
      if (lock?.locked !== true) return 0;
      const checkpoint = await this.readCheckpoint(manager);
      const events = await store.readAllAfter(manager, checkpoint, this.batchSize);
      const last = events.at(-1);
      if (!last) return 0;
      await handle(events, manager);
      const next = checkpointOf(last);
      await manager.query(
        `INSERT INTO "${store.schema}".checkpoints (subscription_id, transaction_id, global_position, updated_at)
         VALUES ($1, $2::xid8, $3, now())
         ON CONFLICT (subscription_id) DO UPDATE
           SET transaction_id = EXCLUDED.transaction_id, global_position = EXCLUDED.global_position, updated_at = now()`,
        [name, next.transactionId, next.globalPosition],
      );
      positionGauge.set({ subscription: name }, Number(next.globalPosition));
      return events.length;
    });
  }

  /** Processes until nothing committed is left unhandled; for commands and tests. */
  async catchUp(): Promise<void> {
    while ((await this.processBatch()) > 0) {
      // keep going
    }
  }

  async checkpoint(): Promise<Checkpoint> {
    return this.readCheckpoint(this.options.dataSource.manager);
  }

  async lag(): Promise<number> {
    const { dataSource, store } = this.options;
    return store.countAfter(dataSource.manager, await this.checkpoint());
  }

  private async readCheckpoint(manager: EntityManager): Promise<Checkpoint> {
    const [row] = await manager.query<{ transaction_id: string; global_position: string }[]>(
      `SELECT transaction_id::text AS transaction_id, global_position::text AS global_position
         FROM "${this.options.store.schema}".checkpoints WHERE subscription_id = $1`,
      [this.options.name],
    );
    return row
      ? { transactionId: row.transaction_id, globalPosition: row.global_position }
      : START_OF_LOG;
  }

  private async run(): Promise<void> {
    const { name, logger } = this.options;
    let lagCheckedAt = 0;
    while (this.running) {
      let delay = this.pollIntervalMs;
      try {
        const handled = await this.processBatch();
        if (handled === this.batchSize) delay = 0;
        if (Date.now() - lagCheckedAt > 5000) {
          lagCheckedAt = Date.now();
          lagGauge.set({ subscription: name }, await this.lag());
        }
      } catch (error) {
        logger.error(
          { subscription: name, err: describeError(error) },
          'log subscription failed; retrying',
        );
        delay = this.retryDelayMs;
      }
      if (delay > 0) await this.sleep(delay);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}

const describeError = (error: unknown): object =>
  error instanceof Error
    ? { message: error.message, stack: error.stack }
    : { value: String(error) };
