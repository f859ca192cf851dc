import type { DataSource, EntityManager } from 'typeorm';
import {
  ConcurrencyError,
  type EventMetadata,
  type EventStore,
  type RowWrite,
  type StoredEvent,
} from './event-store';
import { newEvents, type DomainEvent } from './event-metadata';

/** A stream as read: its folded state and the version that state is at (0: no events yet). */
export interface StreamState<S> {
  state: S;
  version: number;
}

/** How the events of one kind of stream fold into its state. */
export interface EventSourcing<S, E extends DomainEvent> {
  initialState: S;
  evolve: (state: S, event: E) => S;
  /** The typed event of a stored one (where an upcaster goes); throws on one it cannot read. */
  read: (stored: StoredEvent) => E;
  /** The schema version new events are stored with. */
  schemaVersion: number;
  /**
   * Rows the appending statement writes too, from the state after the events (a read model's
   * row): they commit with the events or not at all.
   */
  rowsFor?: (manager: EntityManager, next: StreamState<S>) => RowWrite[];
}

/** Decides on the state the stream is in: the events to append, none to change nothing. */
export type Decide<S, E> = (state: S) => readonly E[];

export interface CommandOptions<S> {
  metadata: EventMetadata;
  /** Where to read and append; by default the data source's, each append a statement of its own. */
  manager?: EntityManager;
  /** The stream as the caller already has it: the first decision is made on it without a read. */
  from?: StreamState<S>;
  /** Other rows for the appending statement (an idempotency claim, say). */
  alongside?: RowWrite[];
  /**
   * How many times a decision that lost a race (ConcurrencyError) is made again on the stream
   * read anew. Outside a transaction only: a lost race inside one aborts it. Default 2.
   */
  retries?: number;
}

const DEFAULT_RETRIES = 2;

/**
 * The streams of one kind of aggregate in an event log: read (fold), append at the expected
 * version (optimistic concurrency), and `handleCommand`, which does both and decides again when
 * another writer moved the stream on in between. Apps give the fold; the log does the rest.
 */
export class EventSourcedStreams<S, E extends DomainEvent> {
  readonly newStream: StreamState<S>;

  constructor(
    protected readonly dataSource: DataSource,
    protected readonly store: EventStore,
    private readonly sourcing: EventSourcing<S, E>,
  ) {
    this.newStream = { state: sourcing.initialState, version: 0 };
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  fold(events: readonly E[], from: S = this.sourcing.initialState): S {
    return events.reduce(this.sourcing.evolve, from);
  }

  async load(manager: EntityManager, streamId: string): Promise<StreamState<S>> {
    const history = await this.store.readStream(manager, streamId);
    return {
      state: this.fold(history.map(this.sourcing.read)),
      version: history.at(-1)?.streamVersion ?? 0,
    };
  }

  /**
   * Appends events decided on `from` at the next versions (ConcurrencyError if the stream has
   * moved on), with the `rowsFor` rows of the new state and the `alongside` rows, in one SQL
   * statement: atomic on its own, or part of the caller's transaction when `manager` is one's.
   */
  async append(
    manager: EntityManager,
    streamId: string,
    from: StreamState<S>,
    events: readonly E[],
    metadata: EventMetadata,
    alongside: RowWrite[] = [],
  ): Promise<StreamState<S>> {
    if (events.length === 0) return from;
    const next = { state: this.fold(events, from.state), version: from.version + events.length };
    await this.store.append(
      manager,
      streamId,
      from.version,
      newEvents(events, metadata, this.sourcing.schemaVersion),
      [...alongside, ...(this.sourcing.rowsFor?.(manager, next) ?? [])],
    );
    return next;
  }

  /**
   * Runs a command on a stream: reads it (unless `from` is given), decides, appends at the
   * version it read. When another writer appended in between, reads again and decides anew, up
   * to `retries` times; then the ConcurrencyError is the caller's.
   */
  async handleCommand(
    streamId: string,
    decide: Decide<S, E>,
    options: CommandOptions<S>,
  ): Promise<StreamState<S>> {
    const manager = options.manager ?? this.manager;
    const retries = options.retries ?? DEFAULT_RETRIES;
    let current = options.from ?? (await this.load(manager, streamId));
    for (let attempt = 0; ; attempt++) {
      try {
        const events = decide(current.state);
        return await this.append(
          manager,
          streamId,
          current,
          events,
          options.metadata,
          options.alongside,
        );
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= retries) throw error;
        current = await this.load(manager, streamId);
      }
    }
  }
}
