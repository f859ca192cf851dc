import type { DataSource, EntityManager } from 'typeorm';
import type { EventStore, LogRange, StoredEvent } from './event-store';
import type { RecordPublisher } from './relay';

export interface RepublishOptions<R> {
  dataSource: DataSource;
  store: EventStore;
  topic: string;
  range: LogRange;
  publisher: RecordPublisher<R>;
  /** The records of a page of events, as the topic's relay makes them. */
  toRecords: (events: StoredEvent[], manager: EntityManager) => R[] | Promise<R[]>;
  /** Events read and published at a time. */
  pageSize?: number;
  /** Called after each page is acknowledged: how many events so far, and the last position. */
  onProgress?: (progress: RepublishProgress) => void;
}

export interface RepublishProgress {
  events: number;
  firstPosition?: string;
  lastPosition?: string;
}

const DEFAULT_PAGE_SIZE = 500;

/**
 * Sends a range of the log to its topic again, as its relay sent it: the same records (event
 * ids, keys, headers), in log order, so each key keeps its order, and page by page, each page
 * acknowledged by the broker before the next is read. For backfills and new consumers: consumers
 * are idempotent on the event id, so records they already have change nothing. It does not touch
 * the relay's checkpoint.
 */
export async function republish<R>(options: RepublishOptions<R>): Promise<RepublishProgress> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const progress: RepublishProgress = { events: 0 };
  let after = '0';
  for (;;) {
    const { events, records } = await options.dataSource.transaction(
      'REPEATABLE READ',
      async (manager) => {
        const page = await options.store.readRange(manager, options.range, after, pageSize);
        return { events: page, records: await options.toRecords(page, manager) };
      },
    );
    const last = events.at(-1);
    if (last === undefined) return progress;
    await options.publisher.publish(options.topic, records);
    progress.events += events.length;
    progress.firstPosition ??= events[0]?.globalPosition;
    progress.lastPosition = last.globalPosition;
    options.onProgress?.({ ...progress });
    after = last.globalPosition;
    if (events.length < pageSize) return progress;
  }
}

/**
 * A bound given on the command line: a global position (digits) or a date or time (ISO 8601,
 * `2026-03-15` or `2026-03-15T10:30:00Z`); undefined for a value that is neither.
 */
export function parseLogBound(text: string): bigint | Date | undefined {
  if (/^\d+$/.test(text)) return BigInt(text);
  if (!/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return undefined;
  const time = new Date(/T| /.test(text) && !/Z|[+-]\d{2}:?\d{2}$/.test(text) ? `${text}Z` : text);
  return Number.isNaN(time.getTime()) ? undefined : time;
}
