import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadConfig } from '@finfusion/config';
import { newId, type RequestMeta } from '@finfusion/contracts';
import { EventStore } from '@finfusion/event-store';
import { dataSourceOptions, migrate } from '@finfusion/runtime';
import { openedPerFile } from '@finfusion/testing';
import { PaymentsConfig } from '../config';
import { paymentsDatabase } from '../database';

export const DATABASE_URL =
  process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/finfusion_test';
export const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:19092';

/** A migrated schema of its own per test file, so tests never see each other's log. */
export interface TestDatabase {
  schema: string;
  dataSource: DataSource;
  store: EventStore;
  config: PaymentsConfig;
  drop(): Promise<void>;
}

export async function openTestDatabase(env: Record<string, string> = {}): Promise<TestDatabase> {
  // Nest's default console logger would print every handled request; problems still show.
  Logger.overrideLogger(['error', 'warn']);
  const schema = `payments_it_${randomUUID().slice(0, 8)}`;
  const config = loadConfig(PaymentsConfig, {
    DATABASE_URL,
    KAFKA_BROKERS,
    NODE_ENV: 'test',
    CUSTOMER_EVENTS_GROUP_ID: `payments-customers-${schema}`,
    RELAY_POLL_MS: '20',
    DAILY_SUMMARY_POLL_MS: '20',
    ...env,
  });
  const dataSource = new DataSource(dataSourceOptions(paymentsDatabase(DATABASE_URL, schema, 20)));
  await dataSource.initialize();
  await migrate(dataSource, schema);
  return {
    schema,
    dataSource,
    store: new EventStore(schema),
    config,
    drop: async () => {
      await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
      await dataSource.destroy();
    },
  };
}

/**
 * The schema of one test file, opened before its first test and dropped after its last. Its
 * members are there from `beforeAll` on: read them inside tests and hooks.
 */
export const testDatabase = (env: Record<string, string> = {}): TestDatabase =>
  openedPerFile(
    () => openTestDatabase(env),
    (db) => db.drop(),
  );

export const requestMeta = (merchantId: string, idempotencyKey?: string): RequestMeta => ({
  merchantId,
  requestId: newId('req'),
  correlationId: newId('req'),
  ...(idempotencyKey !== undefined && { idempotencyKey }),
});

/** Every table of the schema, for tests that must search all of them. */
export async function tablesOf(db: TestDatabase): Promise<string[]> {
  const rows = await db.dataSource.query<{ table_name: string }[]>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`,
    [db.schema],
  );
  return rows.map((row) => row.table_name);
}

/** Resolves once `check` returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Whether a payment's events become readable by the log's followers (relay, projections), which
 * read below the oldest running transaction of the cluster, within `withinMs`.
 */
export async function readableByFollowers(
  db: TestDatabase,
  paymentId: string,
  withinMs: number,
): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const [row] = await db.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${db.schema}".events
        WHERE stream_id = $1 AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())`,
      [paymentId],
    );
    if ((row?.n ?? 0) > 0) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
