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
  /**
   * Back-off after a failed batch, doubling after each failure in a row up to
   * `maxRetryDelayMs`; notifications do not cut it short.
   */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
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
  /**
   * Held back by an older open transaction for longer than this, the subscription logs a warning
   * naming that transaction (pid, age) when it may see it in pg_stat_activity, and again every
   * `heldBackWarnEveryMs` while it lasts.
   */
  heldBackWarnMs?: number;
  heldBackWarnEveryMs?: number;
}

/**
 * Thrown by a handler that handled only the first `handled` events of its batch before failing:
 * the checkpoint moves past those, then the failure is retried as any other.
 */
export class PartialBatchError extends Error {
  override readonly name = 'PartialBatchError';

  constructor(
    readonly handled: number,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/** The oldest transaction that holds an xid, as pg_stat_activity shows it (null fields: no rights). */
export interface BlockingTransaction {
  pid: number;
  database: string | null;
  user: string | null;
  application: string | null;
  state: string | null;
  ageSeconds: number | null;
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

const heldBackGauge = new Gauge({
  name: 'event_subscription_held_back_seconds',
  help:
    'How long committed events have been unreadable to a log subscription because an older ' +
    'transaction is still open (0: not held back).',
  labelNames: ['subscription'],
});

const failuresGauge = new Gauge({
  name: 'event_subscription_consecutive_failures',
  help: 'Failed passes in a row of a log subscription (0: the last pass succeeded).',
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
  /** The handler failed after handling a prefix of the batch (which is checkpointed). */
  failure?: PartialBatchError;
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
  private readonly maxRetryDelayMs: number;
  private readonly heldBackWarnMs: number;
  private readonly heldBackWarnEveryMs: number;
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
    this.maxRetryDelayMs = Math.max(options.maxRetryDelayMs ?? 30_000, this.retryDelayMs);
    this.heldBackWarnMs = options.heldBackWarnMs ?? 5000;
    this.heldBackWarnEveryMs = options.heldBackWarnEveryMs ?? 30_000;
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
      let handled = events;
      let failure: PartialBatchError | undefined;
      try {
        await handle(events, manager);
      } catch (error) {
        if (!(error instanceof PartialBatchError) || error.handled <= 0) throw error;
        handled = events.slice(0, Math.min(error.handled, events.length));
        failure = error;
      }
      const lastHandled = handled.at(-1) ?? last;
      const next = checkpointOf(lastHandled);
      await manager.query(
        `INSERT INTO "${store.schema}".checkpoints (subscription_id, transaction_id, global_position, updated_at)
         VALUES ($1, $2::xid8, $3, now())
         ON CONFLICT (subscription_id) DO UPDATE
           SET transaction_id = EXCLUDED.transaction_id, global_position = EXCLUDED.global_position, updated_at = now()`,
        [name, next.transactionId, next.globalPosition],
      );
      positionGauge.set({ subscription: name }, Number(next.globalPosition));
      return { locked: true, handled: handled.length, heldBack, failure };
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
      let failures = 0;
      let heldBackSince: number | undefined;
      let heldBackWarnedAt: number | undefined;
      while (this.running) {
        this.woken = false;
        let delay: number;
        let wakeable = true;
        let coalesce = false;
        try {
          const pass = await this.pass();
          if (pass.failure !== undefined) throw pass.failure;
          if (failures > 0) failuresGauge.set({ subscription: name }, 0);
          failures = 0;
          if (pass.heldBack) {
            const now = Date.now();
            heldBackSince ??= now;
            heldBackGauge.set({ subscription: name }, (now - heldBackSince) / 1000);
            if (
              now - heldBackSince >= this.heldBackWarnMs &&
              (heldBackWarnedAt === undefined || now - heldBackWarnedAt >= this.heldBackWarnEveryMs)
            ) {
              heldBackWarnedAt = now;
              await this.warnHeldBack(now - heldBackSince);
            }
          } else if (heldBackSince !== undefined) {
            heldBackSince = undefined;
            heldBackWarnedAt = undefined;
            heldBackGauge.set({ subscription: name }, 0);
          }
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
          failures++;
          failuresGauge.set({ subscription: name }, failures);
          delay = Math.min(this.retryDelayMs * 2 ** (failures - 1), this.maxRetryDelayMs);
          logger.error(
            { subscription: name, failures, retry_in_ms: delay, err: describeError(error) },
            'log subscription failed; retrying',
          );
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

  /** The oldest open transaction holding an xid: what keeps committed events unreadable. */
  async blockingTransaction(): Promise<BlockingTransaction | undefined> {
    const [row] = await this.options.dataSource.query<
      {
        pid: number;
        datname: string | null;
        usename: string | null;
        application_name: string | null;
        state: string | null;
        age_seconds: number | null;
      }[]
    >(
      `SELECT pid, datname, usename, application_name, state,
              extract(epoch FROM now() - xact_start)::float8 AS age_seconds
         FROM pg_stat_activity
        WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()
        ORDER BY age(backend_xid) DESC
        LIMIT 1`,
    );
    return row
      ? {
          pid: row.pid,
          database: row.datname,
          user: row.usename,
          application: row.application_name,
          state: row.state,
          ageSeconds: row.age_seconds,
        }
      : undefined;
  }

  private async warnHeldBack(heldBackMs: number): Promise<void> {
    const { name, logger } = this.options;
    let blocker: BlockingTransaction | undefined;
    try {
      blocker = await this.blockingTransaction();
    } catch {
      // Seeing other sessions is a nicety; the warning goes out without it.
    }
    (logger.warn ?? logger.error).call(
      logger,
      {
        subscription: name,
        held_back_ms: heldBackMs,
        ...(blocker && {
          blocking_pid: blocker.pid,
          blocking_age_s: blocker.ageSeconds,
          blocking_state: blocker.state,
          blocking_database: blocker.database,
          blocking_application: blocker.application,
        }),
      },
      'log subscription held back by an open transaction: committed events after it wait until ' +
        'it ends (pg_terminate_backend(blocking_pid) ends it)',
    );
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
