import { createRequire } from 'node:module';
import { inspect } from 'node:util';
import type { DataSource } from 'typeorm';

/**
 * Postgres LISTEN/NOTIFY wake-ups. A table's statement-level trigger notifies a channel from the
 * writing transaction (see `notifyOnInsertSql`); Postgres delivers the notification only once
 * that transaction has committed, and folds a transaction's duplicates into one. Waiters use it
 * to run at once after a commit instead of polling; a slow poll remains as a safety net.
 */
export interface NotificationSource {
  /**
   * Calls `wake` after each commit that notified `channel`, and after the connection was lost and
   * made again (notifications sent meanwhile are gone). Resolves once LISTEN is in effect, or
   * once a first attempt to connect failed (reconnection goes on in the background). Returns a
   * function that stops the wake-ups.
   */
  listen(channel: string, wake: () => void): Promise<() => Promise<void>>;
}

export interface ListenerLogger {
  error(obj: object, msg: string): void;
  warn?(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

/** What the listener needs of `pg`: it ships no type declarations, and @types/pg is not a dependency. */
interface PgNotification {
  channel: string;
}
interface PgClient {
  readonly processID: number | null;
  connect(): Promise<unknown>;
  query(text: string): Promise<unknown>;
  end(): Promise<void>;
  on(event: 'notification', listener: (message: PgNotification) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
}
export interface PgConnectionConfig {
  connectionString?: string;
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
  application_name?: string;
}
interface PgModule {
  Client: new (
    config: PgConnectionConfig & {
      connectionTimeoutMillis: number;
      query_timeout: number;
      keepAlive: boolean;
      keepAliveInitialDelayMillis: number;
    },
  ) => PgClient;
}
let pg: PgModule | undefined;

export interface PgListenerOptions {
  connection: PgConnectionConfig;
  logger: ListenerLogger;
  /** First wait before reconnecting; it doubles per failed attempt up to `maxReconnectDelayMs`. */
  minReconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
}

/**
 * One dedicated connection (not a pooled one: LISTEN belongs to a session) shared by every waiter
 * of a process. It is open while someone listens, and is made again with backoff when it drops.
 */
export class PgListener implements NotificationSource {
  private readonly waiters = new Map<string, Set<() => void>>();
  private client: PgClient | undefined;
  private readonly listening = new Set<string>();
  /** Changes to the session run one at a time, in order. */
  private work: Promise<void> = Promise.resolve();
  private readonly retired = new WeakSet<PgClient>();
  /** The connection dropped (or never came): waiters are woken once it is back. */
  private lost = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private reconnectDelayMs: number;
  private readonly minReconnectDelayMs: number;
  private readonly maxReconnectDelayMs: number;

  constructor(private readonly options: PgListenerOptions) {
    this.minReconnectDelayMs = options.minReconnectDelayMs ?? 100;
    this.maxReconnectDelayMs = options.maxReconnectDelayMs ?? 5000;
    this.reconnectDelayMs = this.minReconnectDelayMs;
  }

  async listen(channel: string, wake: () => void): Promise<() => Promise<void>> {
    // A wrapper of its own, so one function listening twice is two waiters.
    const waiter = (): void => {
      wake();
    };
    let waiters = this.waiters.get(channel);
    if (!waiters) {
      waiters = new Set();
      this.waiters.set(channel, waiters);
    }
    waiters.add(waiter);
    await this.reconcile();
    return async () => {
      const current = this.waiters.get(channel);
      current?.delete(waiter);
      if (current?.size === 0) this.waiters.delete(channel);
      await this.reconcile();
    };
  }

  /** The backend serving this listener, while connected. */
  get backendPid(): number | undefined {
    return this.client?.processID ?? undefined;
  }

  /** Stops every wake-up and closes the connection. */
  async close(): Promise<void> {
    this.waiters.clear();
    await this.reconcile();
  }

  private reconcile(): Promise<void> {
    this.work = this.work
      .then(() => this.bringSessionInLine())
      .catch((error: unknown) => {
        this.options.logger.error({ err: describeError(error) }, 'notification listener failed');
      });
    return this.work;
  }

  /** Makes the session listen to exactly the channels someone waits on; never throws. */
  private async bringSessionInLine(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (this.waiters.size === 0) {
      await this.disconnect();
      return;
    }
    try {
      const client = this.client ?? (await this.connect());
      for (const channel of this.waiters.keys()) {
        if (this.listening.has(channel)) continue;
        await client.query(`LISTEN ${quoteIdentifier(channel)}`);
        this.listening.add(channel);
      }
      for (const channel of [...this.listening]) {
        if (this.waiters.has(channel)) continue;
        await client.query(`UNLISTEN ${quoteIdentifier(channel)}`);
        this.listening.delete(channel);
      }
    } catch (error) {
      this.connectionLost(this.client, error);
      return;
    }
    this.reconnectDelayMs = this.minReconnectDelayMs;
    if (this.lost) {
      this.lost = false;
      (this.options.logger.warn ?? this.options.logger.error).call(
        this.options.logger,
        { channels: [...this.listening] },
        'notification listener reconnected; waking every waiter',
      );
      for (const waiters of [...this.waiters.values()]) for (const wake of [...waiters]) wake();
    }
  }

  private async connect(): Promise<PgClient> {
    pg ??= createRequire(__filename)('pg') as PgModule;
    // Bounded waits: a waiter's first pass waits for this attempt. Keepalive lets a connection
    // that died silently (a vanished host) end with an error too.
    const client = new pg.Client({
      ...this.options.connection,
      connectionTimeoutMillis: 5000,
      query_timeout: 10_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    client.on('error', (error) => {
      this.connectionLost(client, error);
    });
    client.on('end', () => {
      this.connectionLost(client, undefined);
    });
    client.on('notification', ({ channel }) => {
      for (const wake of [...(this.waiters.get(channel) ?? [])]) wake();
    });
    try {
      await client.connect();
    } catch (error) {
      void this.retire(client);
      throw error;
    }
    this.client = client;
    this.listening.clear();
    return client;
  }

  /** Forgets a dead connection and schedules the next attempt. Safe to call more than once. */
  private connectionLost(client: PgClient | undefined, error: unknown): void {
    if (client !== undefined) {
      // A client ended on purpose, or already handled, says nothing new.
      if (this.retired.has(client)) return;
      void this.retire(client);
    }
    if (this.waiters.size === 0 || this.retryTimer !== undefined) return;
    const fields = { err: describeError(error), retry_in_ms: this.reconnectDelayMs };
    if (this.lost) {
      this.options.logger.debug(fields, 'notification listener could not connect yet');
    } else {
      this.options.logger.error(fields, 'notification listener has no connection; reconnecting');
    }
    this.lost = true;
    const delay = this.reconnectDelayMs;
    this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, this.maxReconnectDelayMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.reconcile();
    }, delay);
    // The waiters' own timers keep the process alive; a pending reconnect alone must not.
    this.retryTimer.unref();
  }

  private async disconnect(): Promise<void> {
    const client = this.client;
    this.lost = false;
    this.reconnectDelayMs = this.minReconnectDelayMs;
    if (client) await this.retire(client);
  }

  /** Ends a client for good; its late events are ignored. */
  private retire(client: PgClient): Promise<void> {
    this.retired.add(client);
    if (client === this.client) {
      this.client = undefined;
      this.listening.clear();
    }
    return client.end().catch(() => undefined);
  }
}

const listeners = new Map<string, PgListener>();

/**
 * The process's listener on the database of `dataSource`: every waiter of the process shares one
 * connection. The logger of the first caller is the one it keeps.
 */
export function processListener(dataSource: DataSource, logger: ListenerLogger): PgListener {
  const connection = connectionOf(dataSource);
  const key = JSON.stringify(connection);
  let listener = listeners.get(key);
  if (!listener) {
    listener = new PgListener({ connection, logger });
    listeners.set(key, listener);
  }
  return listener;
}

/** The connection settings of a TypeORM Postgres data source, for a `pg` client of its own. */
export function connectionOf(dataSource: DataSource): PgConnectionConfig {
  const options = dataSource.options;
  if (options.type !== 'postgres') {
    throw new Error(`notifications need a postgres data source, not ${options.type}`);
  }
  const base = { application_name: 'event-store-listener' };
  if (options.url !== undefined) return { ...base, connectionString: options.url };
  return {
    ...base,
    host: options.host,
    port: options.port,
    user: options.username,
    password: typeof options.password === 'string' ? options.password : undefined,
    database: options.database,
  };
}

/** The channel a table's inserts notify; also its name in `notifyOnInsertSql`. */
export const insertChannel = (schema: string, table: string): string => `${schema}.${table}`;

/** The channel the event log of a schema notifies on each committed append. */
export const eventsChannel = (schema: string): string => insertChannel(schema, 'events');

/**
 * DDL of a statement-level trigger that notifies `insertChannel(schema, table)` on insert. The
 * notification leaves at commit, once per transaction however many rows or statements it wrote,
 * and never for a transaction that rolled back. With `when` (an SQL condition), only a
 * transaction that finds it true notifies: Postgres serialises the commits of notifying
 * transactions on one database-wide lock, so busy writers should not notify readers that are
 * awake anyway.
 */
export const notifyOnInsertSql = (schema: string, table: string, when = 'true'): string[] => {
  const channel = insertChannel(schema, table);
  // pg_notify refuses a channel name of 64 bytes or more; fail at migration, not at first insert.
  if (Buffer.byteLength(channel) >= 64) throw new Error(`channel name too long: ${channel}`);
  return [
    `CREATE OR REPLACE FUNCTION "${schema}".notify_${table}_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF ${when} THEN
         PERFORM pg_notify(${quoteLiteral(channel)}, '');
       END IF;
       RETURN NULL;
     END $$`,
    // Idempotent, like the function: a later migration can run this again to update a database.
    `DROP TRIGGER IF EXISTS ${table}_notify ON "${schema}".${table}`,
    `CREATE TRIGGER ${table}_notify AFTER INSERT ON "${schema}".${table}
       FOR EACH STATEMENT EXECUTE FUNCTION "${schema}".notify_${table}_inserted()`,
  ];
};

export const dropNotifyOnInsertSql = (schema: string, table: string): string[] => [
  `DROP TRIGGER IF EXISTS ${table}_notify ON "${schema}".${table}`,
  `DROP FUNCTION IF EXISTS "${schema}".notify_${table}_inserted()`,
];

const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const quoteLiteral = (text: string): string => `'${text.replaceAll("'", "''")}'`;

const describeError = (error: unknown): object | undefined =>
  error === undefined
    ? undefined
    : error instanceof Error
      ? { message: error.message }
      : { value: inspect(error) };
