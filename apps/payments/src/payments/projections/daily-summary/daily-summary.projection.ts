import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { DailySummary, PaymentStatus } from '@finfusion/contracts';
import {
  checkpointOf,
  EventStore,
  LogSubscription,
  START_OF_LOG,
  type Checkpoint,
  type StoredEvent,
  tableOf,
} from '@finfusion/event-store';
import { PaymentsConfig } from '../../../config';
import { evolve, fold } from '../../domain/payment';
import { toPaymentEvent } from '../../domain/payment.events';
import { swapTable } from '../swap-table';
import { mergeChanges, summaryChanges, type SummaryChange } from './daily-summary';
import { structuredLogger } from '@finfusion/runtime';

/** The checkpoint name of the projection. */
export const DAILY_SUMMARY = 'payments-daily-summary';

const LIVE_TABLE = 'daily_summaries';
const REBUILD_TABLE = 'daily_summaries_rebuild';
/** Only one rebuild of the summary at a time, in any process. */
const REBUILD_LOCK = "hashtext('payments.rebuild-daily-summary')";

/**
 * The per-merchant daily summary, maintained asynchronously from the log by a LogSubscription:
 * gap-safe (a late-committing transaction is never skipped), each batch applied in the
 * transaction that stores its checkpoint, so nothing is counted twice or lost. Each append's
 * commit wakes it; DAILY_SUMMARY_POLL_MS is only the safety poll.
 */
@Injectable()
export class DailySummaryProjection implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DailySummaryProjection.name);
  private readonly subscription: LogSubscription;

  constructor(
    dataSource: DataSource,
    private readonly store: EventStore,
    config: PaymentsConfig,
  ) {
    this.subscription = new LogSubscription({
      name: DAILY_SUMMARY,
      dataSource,
      store,
      logger: structuredLogger(this.logger),
      pollIntervalMs: config.DAILY_SUMMARY_POLL_MS,
      handle: (events, manager) => applyToDailySummary(manager, this.store, events),
    });
  }

  onApplicationBootstrap(): void {
    this.subscription.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription.stop();
  }

  /** Applies everything committed so far, then returns; for tests. */
  catchUp(): Promise<void> {
    return this.subscription.catchUp();
  }

  lag(): Promise<number> {
    return this.subscription.lag();
  }
}

/** Moves each event's payment between summary cells, in the caller's transaction. */
export async function applyToDailySummary(
  manager: EntityManager,
  store: EventStore,
  events: readonly StoredEvent[],
  table = LIVE_TABLE,
): Promise<void> {
  const changes: SummaryChange[] = [];
  const histories = new Map<string, StoredEvent[]>();
  for (const event of events) {
    let history = histories.get(event.streamId);
    if (!history) {
      history = await store.readStream(manager, event.streamId);
      histories.set(event.streamId, history);
    }
    const before = fold(
      history
        .filter((e) => e.streamVersion < event.streamVersion)
        .map((e) => toPaymentEvent(e.type, e.schemaVersion, e.data)),
    );
    const after = evolve(before, toPaymentEvent(event.type, event.schemaVersion, event.data));
    changes.push(...summaryChanges(before, after));
  }
  await writeChanges(manager, tableOf(manager, table), mergeChanges(changes));
}

async function writeChanges(
  manager: EntityManager,
  table: string,
  changes: SummaryChange[],
): Promise<void> {
  if (changes.length === 0) return;
  const columns = [
    changes.map((c) => c.merchantId),
    changes.map((c) => c.day),
    changes.map((c) => c.currency),
    changes.map((c) => c.status),
    changes.map((c) => c.count),
    changes.map((c) => c.volume),
    changes.map((c) => c.captured),
    changes.map((c) => c.refunded),
  ];
  await manager.query(
    `INSERT INTO ${table} AS s (merchant_id, day, currency, status, count, volume, captured, refunded)
     SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::text[], $5::int[], $6::bigint[],
                          $7::bigint[], $8::bigint[])
     ON CONFLICT (merchant_id, day, currency, status)
       DO UPDATE SET count = s.count + EXCLUDED.count, volume = s.volume + EXCLUDED.volume,
                     captured = s.captured + EXCLUDED.captured,
                     refunded = s.refunded + EXCLUDED.refunded`,
    columns,
  );
  // An emptied cell goes: the table then holds exactly the non-empty cells, however the log
  // was cut into batches, so a rebuild equals the live table row for row.
  await manager.query(
    `DELETE FROM ${table}
      WHERE count = 0
        AND (merchant_id, day, currency, status) IN
            (SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::text[]))`,
    columns.slice(0, 4),
  );
}

/**
 * Recomputes the summary from the whole log without holding the log's followers back: the cells
 * are counted into a new table in short transactions; then, holding the live projection's lock
 * (its batch in flight ends first, the next one waits), the rest of the log is counted, the new
 * table takes the live one's place and the projection's checkpoint moves to where the rebuild
 * stopped, so the live projection carries on from there without counting anything twice.
 */
export async function rebuildDailySummary(
  dataSource: DataSource,
  store: EventStore,
  { batchSize = 500 }: { batchSize?: number } = {},
): Promise<{ events: number }> {
  const session = dataSource.createQueryRunner();
  await session.connect();
  try {
    const [lock] = (await session.query(
      `SELECT pg_try_advisory_lock(${REBUILD_LOCK}) AS locked`,
    )) as { locked: boolean }[];
    if (lock?.locked !== true) throw new Error('another rebuild of the daily summary is running');
    const live = tableOf(dataSource, LIVE_TABLE);
    const next = tableOf(dataSource, REBUILD_TABLE);
    try {
      await dataSource.query(`DROP TABLE IF EXISTS ${next}`);
      await dataSource.query(`CREATE TABLE ${next} (LIKE ${live} INCLUDING ALL)`);
      let checkpoint: Checkpoint = START_OF_LOG;
      let handled = 0;
      /** Counts batches after the checkpoint until the log's safe end, each in `inTransaction`. */
      const countRest = async (
        inTransaction: <T>(work: (manager: EntityManager) => Promise<T>) => Promise<T>,
      ): Promise<void> => {
        for (;;) {
          const events = await inTransaction(async (manager) => {
            const batch = await store.readAllAfter(manager, checkpoint, batchSize);
            await applyToDailySummary(manager, store, batch, REBUILD_TABLE);
            return batch;
          });
          const last = events.at(-1);
          if (!last) return;
          checkpoint = checkpointOf(last);
          handled += events.length;
        }
      };
      await countRest((work) => dataSource.transaction(work));

      await dataSource.transaction(async (manager) => {
        // The lock LogSubscription takes per batch (libs/event-store subscription.ts).
        await manager.query(
          `SELECT pg_advisory_xact_lock(hashtext('log-subscription'), hashtext($1))`,
          [DAILY_SUMMARY],
        );
        await countRest((work) => work(manager));
        await manager.query(`SET LOCAL lock_timeout = '5s'`);
        await swapTable(manager, live, next);
        await manager.query(
          `INSERT INTO ${tableOf(manager, 'checkpoints')} (subscription_id, transaction_id, global_position, updated_at)
           VALUES ($1, $2::xid8, $3, now())
           ON CONFLICT (subscription_id) DO UPDATE
             SET transaction_id = EXCLUDED.transaction_id, global_position = EXCLUDED.global_position,
                 updated_at = now()`,
          [DAILY_SUMMARY, checkpoint.transactionId, checkpoint.globalPosition],
        );
      });
      return { events: handled };
    } finally {
      await dataSource.query(`DROP TABLE IF EXISTS ${next}`).catch(() => undefined);
      await session.query(`SELECT pg_advisory_unlock(${REBUILD_LOCK})`);
    }
  } finally {
    await session.release();
  }
}

interface SummaryRow {
  day: string;
  currency: string;
  status: PaymentStatus;
  count: number;
  volume: string;
  captured: string;
  refunded: string;
}

/** The merchant's non-empty cells between two UTC days, inclusive. */
export async function readDailySummaries(
  manager: EntityManager,
  merchantId: string,
  from: string,
  to: string,
  currency?: string,
): Promise<DailySummary[]> {
  const rows = await manager.query<SummaryRow[]>(
    `SELECT day::text AS day, currency, status, count, volume::text AS volume,
            captured::text AS captured, refunded::text AS refunded
       FROM ${tableOf(manager, 'daily_summaries')}
      WHERE merchant_id = $1 AND day BETWEEN $2::date AND $3::date
        AND ($4::text IS NULL OR currency = $4)
      ORDER BY day, currency, status`,
    [merchantId, from, to, currency ?? null],
  );
  return rows.map((row) => ({
    object: 'daily_summary',
    date: row.day,
    currency: row.currency,
    status: row.status,
    count: row.count,
    volume: Number(row.volume),
    captured: Number(row.captured),
    refunded: Number(row.refunded),
    net: Number(row.captured) - Number(row.refunded),
  }));
}
