import type { DataSource, EntityManager } from 'typeorm';
import {
  checkpointOf,
  START_OF_LOG,
  type Checkpoint,
  type EventStore,
  tableOf,
} from '@finfusion/event-store';
import { fold, isPayment } from '../../domain/payment';
import { toPaymentEvent } from '../../domain/payment.events';
import { swapTable } from '../swap-table';
import { PaymentReadModel, type ReadModelTables } from './payment-read-model';

export interface RebuildOptions {
  /** Log events read per short transaction. */
  batchSize?: number;
  /** How long the swap waits for the table lock before it catches up again and retries. */
  lockTimeoutMs?: number;
  /** Swap attempts before the rebuild gives up (the live table is then left as it was). */
  swapAttempts?: number;
}

/** The rebuild's tables, beside the live `payments` and `refunds`. */
const REBUILD_TABLES: ReadModelTables = {
  payments: 'payments_rebuild',
  refunds: 'refunds_rebuild',
};
/** Only one rebuild of the payments table at a time, in any process. */
const REBUILD_LOCK = "hashtext('payments.rebuild-read-model')";
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Rebuilds the `payments` and `refunds` read model from the event log without stopping anything: the rows are
 * folded into a new table (same columns, constraints and indexes) in short transactions that
 * follow the log in commit-safe order, so writers, readers and the relay carry on. Then, in one
 * short transaction, the live table is locked (writers wait a moment), the events committed since
 * are folded in, and the new table takes the live one's place and index names.
 */
export async function rebuildPaymentsTable(
  dataSource: DataSource,
  store: EventStore,
  options: RebuildOptions = {},
): Promise<{ payments: number }> {
  const batchSize = options.batchSize ?? 500;
  const lockTimeoutMs = options.lockTimeoutMs ?? 2000;
  const swapAttempts = options.swapAttempts ?? 10;
  const live = tableOf(dataSource, 'payments');
  const next = tableOf(dataSource, REBUILD_TABLES.payments);
  const liveRefunds = tableOf(dataSource, 'refunds');
  const nextRefunds = tableOf(dataSource, REBUILD_TABLES.refunds);
  const model = new PaymentReadModel();

  const session = dataSource.createQueryRunner();
  await session.connect();
  try {
    const [lock] = (await session.query(
      `SELECT pg_try_advisory_lock(${REBUILD_LOCK}) AS locked`,
    )) as { locked: boolean }[];
    if (lock?.locked !== true) throw new Error('another rebuild of the payments table is running');
    try {
      // A table left by an interrupted rebuild is only a partial copy: start afresh.
      for (const [from, to] of [
        [live, next],
        [liveRefunds, nextRefunds],
      ] as const) {
        await dataSource.query(`DROP TABLE IF EXISTS ${to}`);
        await dataSource.query(`CREATE TABLE ${to} (LIKE ${from} INCLUDING ALL)`);
      }

      // Streams touched after a checkpoint, folded whole into the new table.
      const project = async (manager: EntityManager, streamIds: string[]): Promise<void> => {
        const streams = await store.readStreams(manager, streamIds);
        for (const history of streams.values()) {
          const events = history.map((e) => toPaymentEvent(e.type, e.schemaVersion, e.data));
          const state = fold(events);
          // Each refund's row is at the version of its last event, as the live writes leave it.
          const refundVersions = new Map<string, number>();
          events.forEach((event, i) => {
            const version = history[i]?.streamVersion;
            if ('refundId' in event.data && version !== undefined) {
              refundVersions.set(event.data.refundId, version);
            }
          });
          if (isPayment(state)) {
            const version = history.at(-1)?.streamVersion ?? 0;
            await model.project(manager, state, version, refundVersions, REBUILD_TABLES);
          }
        }
      };

      // Follows the log below the oldest running transaction, so no late commit is skipped.
      let checkpoint: Checkpoint = START_OF_LOG;
      const catchUp = async (): Promise<number> => {
        let events = 0;
        for (;;) {
          const read = await dataSource.transaction(async (manager) => {
            const batch = await store.readAllAfter(manager, checkpoint, batchSize);
            await project(manager, [...new Set(batch.map((e) => e.streamId))]);
            return batch;
          });
          const last = read.at(-1);
          if (last === undefined) return events;
          checkpoint = checkpointOf(last);
          events += read.length;
        }
      };
      await catchUp();

      for (let attempt = 1; ; attempt++) {
        try {
          await dataSource.transaction(async (manager) => {
            await manager.query(
              `SET LOCAL lock_timeout = ${Math.max(1, Math.round(lockTimeoutMs))}`,
            );
            // Waits for the writers in flight; every append writes its row in the statement that
            // appends its events, so once this is held every committed event is visible here.
            await manager.query(`LOCK TABLE ${live} IN ACCESS EXCLUSIVE MODE`);
            const tail = await manager.query<{ stream_id: string }[]>(
              `SELECT DISTINCT stream_id FROM ${tableOf(manager, 'events')}
                WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)`,
              [checkpoint.transactionId, checkpoint.globalPosition],
            );
            await project(
              manager,
              tail.map((row) => row.stream_id),
            );
            await manager.query(`LOCK TABLE ${liveRefunds} IN ACCESS EXCLUSIVE MODE`);
            await swapTable(manager, live, next);
            await swapTable(manager, liveRefunds, nextRefunds);
          });
          break;
        } catch (error) {
          if ((error as { code?: string }).code !== LOCK_NOT_AVAILABLE || attempt >= swapAttempts) {
            throw error;
          }
          // The table stayed busy: catch up with what was written meanwhile, then try again.
          await catchUp();
        }
      }
      const [count] = await dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM ${live}`,
      );
      return { payments: count?.n ?? 0 };
    } finally {
      for (const table of [next, nextRefunds]) {
        await dataSource.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
      }
      await session.query(`SELECT pg_advisory_unlock(${REBUILD_LOCK})`);
    }
  } finally {
    await session.release();
  }
}
