import type { DataSource, EntityManager } from 'typeorm';
import { Gauge } from 'prom-client';
import {
  checkpointOf,
  START_OF_LOG,
  type Checkpoint,
  type EventStore,
  type StoredEvent,
} from './event-store';
import { eventsChannel, processListener, type NotificationSource } from './notifications';

export interface SubscriptionLogger {
  error(obj: object, msg: string): void;
  warn?(obj: object, msg: string): void;
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
  /**
   * The safety net: how long the loop waits for a wake-up before it looks anyway. Appends wake it
   * at once through LISTEN/NOTIFY, so this only bounds a wake-up that went missing.
   */
  pollIntervalMs?: number;
  /** Back-off after a failed batch; notifications do not cut it short. */
  retryDelayMs?: number;
  /**
   * What wakes the loop after each append to the log (the log's insert trigger notifies
   * `eventsChannel(schema)`). Default: the process's listener on the data source's database;
   * false: the poll alone.
   */
  notifications?: NotificationSource | false;
  /**
   * Committed events held back by an older running transaction are looked for again after this
   * long, doubling up to `heldBackMaxDelayMs`: that transaction's end notifies nothing.
   */
  heldBackDelayMs?: number;
  heldBackMaxDelayMs?: number;
  /**
   * While events keep coming, the loop looks again this soon after a pass that found some (or at
   * once when an append of this process commits), instead of sleeping until a notification:
   * appends notify only sleeping subscriptions.
   */
  busyPollMs?: number;
  /**
   * After a pass that found events, wake-ups wait this long before the next pass, so that the
   * appends of a busy process share passes instead of each costing one.
   */
  coalesceMs?: number;
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

const LAG_CHECK_INTERVAL_MS = 5000;

/** What one pass over the log found. */
interface Pass {
  /** False when another replica holds the subscription: it does the work. */
  locked: boolean;
  handled: number;
  /** Committed events remain that an older running transaction keeps unreadable for now. */
  heldBack: boolean;
}

interface Sleeper {
  done: () => void;
  /** Whether a notification may end the sleep (a back-off after a failure is not cut short). */
  wakeable: boolean;
}

/**
 * Follows an event log by position with a stored checkpoint (the relays to Kafka and the
 * asynchronous projections). A transaction-scoped advisory lock lets one replica at a time
 * advance a subscription, so several replicas can run it safely.
 *
 * While events keep coming the loop stays awake: a full batch is followed by the next at once,
 * a pass that found events by another when this process appends again (`onCommittedAppend`) or
 * after `busyPollMs` (appends of other replicas), and events held back by an older open
 * transaction are looked for again after a short, growing delay. Once a pass finds nothing, the
 * subscription marks itself sleeping in its checkpoint row (`sleeping_until`), looks once more,
 * and sleeps until an append notifies it; only appends that find a sleeping subscription notify,
 * because Postgres serialises the commits of notifying transactions on one database-wide lock.
 * A notification that comes during a pass makes exactly one more pass; a slow poll covers a
 * lost wake-up.
 */
export class LogSubscription {
  private running = false;
  private loop: Promise<void> | undefined;
  private woken = false;
  private sleeper: Sleeper | undefined;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly retryDelayMs: number;
  private readonly heldBackDelayMs: number;
  private readonly heldBackMaxDelayMs: number;
  private readonly busyPollMs: number;
  private readonly coalesceMs: number;
  /** What this loop last wrote to its checkpoint row's `sleeping_until`. */
  private idle: 'awake' | 'marked' | 'sleeping' = 'awake';

  constructor(private readonly options: SubscriptionOptions) {
    this.batchSize = options.batchSize ?? 200;
    this.pollIntervalMs = options.pollIntervalMs ?? 5000;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.heldBackDelayMs = options.heldBackDelayMs ?? 2;
    this.heldBackMaxDelayMs = options.heldBackMaxDelayMs ?? 250;
    this.busyPollMs = options.busyPollMs ?? 50;
    this.coalesceMs = Math.min(options.coalesceMs ?? 10, this.busyPollMs);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.sleeper?.done();
    await this.loop;
  }

  /** Makes the loop look at the log now, or once more after the pass it is running. */
  wake(): void {
    this.woken = true;
    if (this.sleeper?.wakeable === true) this.sleeper.done();
  }

  /** Handles at most one batch; returns how many events it handled. */
  async processBatch(): Promise<number> {
    return (await this.pass()).handled;
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

  private async pass(): Promise<Pass> {
    const { dataSource, store, name, handle } = this.options;
    return dataSource.transaction(async (manager) => {
      const [lock] = await manager.query<{ locked: boolean }[]>(
        `SELECT pg_try_advisory_xact_lock(hashtext('log-subscription'), hashtext($1)) AS locked`,
        [name],
      );
      if (lock?.locked !== true) return { locked: false, handled: 0, heldBack: false };
      const checkpoint = await this.readCheckpoint(manager);
      const events = await store.readAllAfter(manager, checkpoint, this.batchSize);
      const last = events.at(-1);
      // A full batch stopped at its size; only a short one can have stopped at the xmin horizon.
      const heldBack =
        events.length < this.batchSize &&
        (await store.heldBackAfter(manager, last ? checkpointOf(last) : checkpoint));
      if (!last) return { locked: true, handled: 0, heldBack };
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
      return { locked: true, handled: events.length, heldBack };
    });
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
    // Listening before the first pass: whatever commits from here on wakes the loop.
    const stopListening = await this.listen();
    const stopWatching = this.options.store.onCommittedAppend(() => {
      this.wake();
    });
    try {
      let heldBackDelay = 0;
      let lagCheckedAt = 0;
      while (this.running) {
        this.woken = false;
        let delay: number;
        let wakeable = true;
        let coalesce = false;
        try {
          const pass = await this.pass();
          const caughtUp = pass.locked && pass.handled < this.batchSize && !pass.heldBack;
          if (pass.handled > 0 && this.idle !== 'awake') await this.markSleeping(false);
          if (pass.handled === this.batchSize) {
            delay = 0;
          } else if (pass.heldBack) {
            heldBackDelay =
              heldBackDelay === 0
                ? this.heldBackDelayMs
                : Math.min(heldBackDelay * 2, this.heldBackMaxDelayMs);
            delay = Math.min(heldBackDelay, this.pollIntervalMs);
          } else if (pass.handled > 0) {
            heldBackDelay = 0;
            delay = Math.min(this.busyPollMs, this.pollIntervalMs);
            coalesce = true;
          } else if (!pass.locked) {
            // Another replica advances the subscription; the poll takes over if it goes.
            delay = this.pollIntervalMs;
          } else {
            heldBackDelay = 0;
            // Marked sleeping, look once more: an append that saw no mark before it was
            // written may have committed since the pass read the log.
            const justMarked = this.idle === 'awake';
            await this.markSleeping(true);
            delay = justMarked
              ? Math.min(this.busyPollMs, this.pollIntervalMs)
              : this.pollIntervalMs;
          }
          if (caughtUp) {
            // Nothing committed is left after the checkpoint: no count needed.
            lagGauge.set({ subscription: name }, 0);
            lagCheckedAt = Date.now();
          } else if (Date.now() - lagCheckedAt > LAG_CHECK_INTERVAL_MS) {
            lagCheckedAt = Date.now();
            lagGauge.set({ subscription: name }, await this.lag());
          }
        } catch (error) {
          logger.error(
            { subscription: name, err: describeError(error) },
            'log subscription failed; retrying',
          );
          delay = this.retryDelayMs;
          wakeable = false;
        }
        if (coalesce && delay > 0) {
          const gap = Math.min(this.coalesceMs, delay);
          await this.sleep(gap, false);
          delay -= gap;
        }
        if (delay > 0) await this.sleep(delay, wakeable);
      }
    } finally {
      stopWatching();
      await stopListening();
    }
  }

  /**
   * Writes (or clears) this subscription's sleeping mark; it outlasts the poll, so a loop that
   * died leaves appends notifying for a few seconds at most.
   */
  private async markSleeping(sleeping: boolean): Promise<void> {
    const { dataSource, store, name, notifications } = this.options;
    this.idle = sleeping ? (this.idle === 'awake' ? 'marked' : 'sleeping') : 'awake';
    if (notifications === false) return;
    await dataSource.query(
      `INSERT INTO "${store.schema}".checkpoints (subscription_id, sleeping_until)
       VALUES ($1, CASE WHEN $2 THEN now() + $3 * interval '1 millisecond' END)
       ON CONFLICT (subscription_id) DO UPDATE SET sleeping_until = EXCLUDED.sleeping_until`,
      [name, sleeping, 2 * this.pollIntervalMs + 1000],
    );
  }

  private async listen(): Promise<() => Promise<void>> {
    const { dataSource, store, logger, notifications } = this.options;
    const none = (): Promise<void> => Promise.resolve();
    if (notifications === false) return none;
    try {
      const source = notifications ?? processListener(dataSource, logger);
      return await source.listen(eventsChannel(store.schema), () => {
        this.wake();
      });
    } catch (error) {
      logger.error(
        { subscription: this.options.name, err: describeError(error) },
        'log subscription cannot listen for appends; it polls only',
      );
      return none;
    }
  }

  private sleep(ms: number, wakeable: boolean): Promise<void> {
    // A wake-up that came during the pass asks for one more pass; a stop, for none.
    if ((wakeable && this.woken) || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.sleeper = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleeper = { done, wakeable };
    });
  }
}

const describeError = (error: unknown): object =>
  error instanceof Error
    ? { message: error.message, stack: error.stack }
    : { value: String(error) };
