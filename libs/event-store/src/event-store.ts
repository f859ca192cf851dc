import type { EntityManager } from 'typeorm';

export interface EventMetadata {
  merchantId: string;
  requestId?: string;
  correlationId?: string;
  causationId?: string;
  idempotencyKey?: string;
  /**
   * When the fact happened (ISO 8601), as the deciding code's clock said, for a log whose event
   * data does not carry it; `recordedAt` is only when the row was written.
   */
  occurredAt?: string;
  /**
   * The W3C trace context of the span that appended the event, when tracing was on: the relay
   * continues that trace when it publishes the event.
   */
  traceparent?: string;
  tracestate?: string;
}

export interface NewEvent {
  eventId: string;
  type: string;
  schemaVersion?: number;
  data: object;
  metadata: EventMetadata;
}

export interface StoredEvent<D = Record<string, unknown>> {
  globalPosition: string;
  transactionId: string;
  streamId: string;
  streamVersion: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  data: D;
  metadata: EventMetadata;
  recordedAt: Date;
}

/**
 * A row written by the same SQL statement as an append, and only if the append happens: a read
 * model's row, an idempotency claim. One statement is atomic without a transaction, and costs
 * one round trip instead of a transaction's four or five.
 */
export interface RowWrite {
  /** Schema-qualified and quoted, e.g. `"payments".payments`. */
  table: string;
  /** Values by column name, as JSON; Postgres converts each to its column's type. */
  row: object;
  /** An `ON CONFLICT …` clause, in which the table is called `target`. */
  onConflict?: string;
}

/** A second writer at the same expected version loses: the stream moved on under it. */
export class ConcurrencyError extends Error {
  override readonly name = 'ConcurrencyError';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
  ) {
    super(`stream ${streamId} is no longer at version ${expectedVersion}`);
  }
}

interface EventRow {
  global_position: string;
  transaction_id: string;
  stream_id: string;
  stream_version: number;
  event_id: string;
  event_type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  recorded_at: Date;
}

const COLUMNS =
  'global_position, transaction_id::text AS transaction_id, stream_id, stream_version, event_id, ' +
  'event_type, schema_version, data, metadata, recorded_at';

const toStored = (row: EventRow): StoredEvent => ({
  globalPosition: row.global_position,
  transactionId: row.transaction_id,
  streamId: row.stream_id,
  streamVersion: row.stream_version,
  eventId: row.event_id,
  type: row.event_type,
  schemaVersion: row.schema_version,
  data: row.data,
  metadata: row.metadata,
  recordedAt: row.recorded_at,
});

const UNIQUE_VIOLATION = '23505';

/** The append-only event log of one schema. Pass the transaction's manager to write atomically. */
export class EventStore {
  private readonly table: string;
  private readonly appendWatchers = new Set<() => void>();

  constructor(readonly schema: string) {
    this.table = `"${schema}".events`;
  }

  /**
   * Calls `watcher` after each append of this process that committed on its own (one statement,
   * outside a transaction): the subscriptions of the process look at the log at once, with no
   * notification through Postgres. Returns a function that stops the calls.
   */
  onCommittedAppend(watcher: () => void): () => void {
    this.appendWatchers.add(watcher);
    return () => this.appendWatchers.delete(watcher);
  }

  /**
   * Appends after `expectedVersion` (0 for a new stream), and writes the `alongside` rows in the
   * same statement. Either all of it is written, the events at the next versions, or
   * ConcurrencyError (or the rows' own error, a unique violation say) is thrown and nothing is.
   */
  async append(
    manager: EntityManager,
    streamId: string,
    expectedVersion: number,
    events: NewEvent[],
    alongside: RowWrite[] = [],
  ): Promise<StoredEvent[]> {
    if (events.length === 0) return [];
    const values: unknown[] = [streamId, expectedVersion];
    const rows = events.map((event, index) => {
      const base = values.length;
      values.push(
        event.eventId,
        event.type,
        event.schemaVersion ?? 1,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
      );
      return `($1::text, $2::int + ${index + 1}, $${base + 1}::text, $${base + 2}::text, $${base + 3}::int, $${base + 4}::jsonb, $${base + 5}::jsonb)`;
    });
    // The guard catches an expected version ahead of the stream; the unique key catches a racer.
    const insert =
      `INSERT INTO ${this.table} (stream_id, stream_version, event_id, event_type, schema_version, data, metadata) ` +
      `SELECT * FROM (VALUES ${rows.join(', ')}) AS v(stream_id, stream_version, event_id, event_type, schema_version, data, metadata) ` +
      `WHERE (SELECT coalesce(max(stream_version), 0) FROM ${this.table} WHERE stream_id = $1) = $2::int ` +
      `RETURNING ${COLUMNS}`;
    const writes = alongside.map((write, index) => {
      values.push(JSON.stringify(write.row));
      const columns = Object.keys(write.row).map(quoted).join(', ');
      return (
        `, w${index} AS (INSERT INTO ${write.table} AS target (${columns}) ` +
        `SELECT ${columns} FROM jsonb_populate_record(NULL::${write.table}, $${values.length}::jsonb) ` +
        `WHERE EXISTS (SELECT 1 FROM appended) ${write.onConflict ?? ''})`
      );
    });
    const sql =
      writes.length === 0
        ? insert
        : `WITH appended AS (${insert})${writes.join('')} SELECT * FROM appended`;
    try {
      const inserted = await manager.query<EventRow[]>(sql, values);
      if (inserted.length !== events.length) throw new ConcurrencyError(streamId, expectedVersion);
      if (manager.queryRunner?.isTransactionActive !== true) {
        for (const watcher of this.appendWatchers) watcher();
      }
      return inserted.map(toStored);
    } catch (error) {
      if (isUniqueViolation(error, 'events_stream_version_unique')) {
        throw new ConcurrencyError(streamId, expectedVersion);
      }
      throw error;
    }
  }

  /** Several streams in one query, each in version order. */
  async readStreams(
    manager: EntityManager,
    streamIds: readonly string[],
  ): Promise<Map<string, StoredEvent[]>> {
    const rows = await manager.query<EventRow[]>(
      `SELECT ${COLUMNS} FROM ${this.table} WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, stream_version`,
      [streamIds],
    );
    const streams = new Map<string, StoredEvent[]>(streamIds.map((id) => [id, []]));
    for (const row of rows) streams.get(row.stream_id)?.push(toStored(row));
    return streams;
  }

  async readStream(manager: EntityManager, streamId: string): Promise<StoredEvent[]> {
    const rows = await manager.query<EventRow[]>(
      `SELECT ${COLUMNS} FROM ${this.table} WHERE stream_id = $1 ORDER BY stream_version`,
      [streamId],
    );
    return rows.map(toStored);
  }

  /**
   * Committed events of a range of the log, in log order (global position), after `afterPosition`:
   * what a republish reads, page by page. Bounds are inclusive; a time bound is compared with
   * when each event was written.
   */
  async readRange(
    manager: EntityManager,
    range: LogRange,
    afterPosition: string,
    limit: number,
  ): Promise<StoredEvent[]> {
    // Every parameter is used with a type, also when its bound is absent (NULL).
    const position = (bound: LogBound | undefined, op: '>=' | '<=', param: string) =>
      bound === undefined
        ? `${param}::text IS NULL`
        : typeof bound === 'bigint'
          ? `global_position ${op} ${param}::bigint`
          : `recorded_at ${op} ${param}::timestamptz`;
    const value = (bound: LogBound | undefined) =>
      bound === undefined
        ? null
        : typeof bound === 'bigint'
          ? bound.toString()
          : bound.toISOString();
    const rows = await manager.query<EventRow[]>(
      `SELECT ${COLUMNS} FROM ${this.table}
        WHERE global_position > $1::bigint AND ${position(range.from, '>=', '$2')}
          AND ${position(range.to, '<=', '$3')}
        ORDER BY global_position
        LIMIT $4`,
      [afterPosition, value(range.from), value(range.to), limit],
    );
    return rows.map(toStored);
  }

  /**
   * Events after a checkpoint in commit-safe order. Positions are assigned before commit, so a
   * transaction can commit after a later position is visible; reading only below the oldest
   * running transaction (pg_snapshot_xmin) means such a late event is never jumped over.
   */
  async readAllAfter(
    manager: EntityManager,
    after: Checkpoint,
    limit: number,
  ): Promise<StoredEvent[]> {
    const rows = await manager.query<EventRow[]>(
      `SELECT ${COLUMNS} FROM ${this.table}
        WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
          AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY transaction_id, global_position
        LIMIT $3`,
      [after.transactionId, after.globalPosition, limit],
    );
    return rows.map(toStored);
  }

  /**
   * Whether committed events after the checkpoint exist that `readAllAfter` cannot return yet:
   * an older transaction, of any schema, is still running. Such events become readable when it
   * ends, which notifies nothing, so a reader that finds them should look again soon.
   */
  async heldBackAfter(manager: EntityManager, after: Checkpoint): Promise<boolean> {
    const [row] = await manager.query<{ held: boolean }[]>(
      `SELECT EXISTS (
         SELECT 1 FROM ${this.table}
          WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
            AND transaction_id >= pg_snapshot_xmin(pg_current_snapshot())) AS held`,
      [after.transactionId, after.globalPosition],
    );
    return row?.held === true;
  }

  async countAfter(manager: EntityManager, after: Checkpoint): Promise<number> {
    const [row] = await manager.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${this.table} WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)`,
      [after.transactionId, after.globalPosition],
    );
    return row?.n ?? 0;
  }
}

/** A bound of a range of the log: a global position, or a time (when events were written). */
export type LogBound = bigint | Date;

export interface LogRange {
  from?: LogBound;
  to?: LogBound;
}

export interface Checkpoint {
  transactionId: string;
  globalPosition: string;
}

export const START_OF_LOG: Checkpoint = { transactionId: '0', globalPosition: '0' };

export const checkpointOf = (event: StoredEvent): Checkpoint => ({
  transactionId: event.transactionId,
  globalPosition: event.globalPosition,
});

const quoted = (identifier: string): string => `"${identifier.replaceAll('"', '""')}"`;

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } })
    .driverError;
  const source = driverError ?? (error as { code?: string; constraint?: string });
  return (
    source.code === UNIQUE_VIOLATION &&
    (constraint === undefined || source.constraint === constraint)
  );
}
