// Loads an event topic into DuckDB and answers "payment volume per currency per day".
//
//   node examples/analytics/load-duckdb.mjs [--brokers 127.0.0.1:9092]
//     [--topic payments.payment.events] [--schemas http://127.0.0.1:3000 | schemas/events]
//     [--db payments.duckdb] [--merchant mer_…] [--json] [--strict]
//
// Reads the topic from its beginning to its end at start (kafkajs), checks every event against
// its published schema, and keeps one row per event id in the table `events` (delivery is at
// least once: a redelivered event is the same row). A record that is not a valid event is left
// out and reported with its partition and offset (--strict: and the exit code is 1). Run it again to add what came since; with
// --db the table lasts, for your own queries (`duckdb payments.duckdb`). Loading
// customers.customer.events, it honours customer.deleted: the deleted customer's stored events
// keep no email, name or metadata (docs/events.md#personal-data-and-erasure).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { Kafka, logLevel } from 'kafkajs';
import { eventValidator } from './schemas.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Every record on `topic` up to the end offsets it has now, as { key, value, headers } text.
 * @param {string[]} brokers
 * @param {string} topic
 */
export async function readTopic(brokers, topic) {
  const kafka = new Kafka({ clientId: 'finfusion-analytics', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  /** @type {Map<number, bigint>} partition -> last offset to read */
  const ends = new Map(
    offsets
      .filter(({ high, low }) => BigInt(high) > BigInt(low))
      .map(({ partition, high }) => [partition, BigInt(high) - 1n]),
  );
  /** @type {{ partition: number, offset: string, key: string | null, value: string, headers: Record<string, string> }[]} */
  const records = [];
  if (ends.size === 0) return records;
  // A group of its own each run, read from the beginning, committing nothing.
  const consumer = kafka.consumer({ groupId: `finfusion-analytics-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise((resolve, reject) => {
    consumer
      .run({
        autoCommit: false,
        eachMessage: ({ partition, message }) => {
          const end = ends.get(partition);
          if (end === undefined || BigInt(message.offset) > end) return Promise.resolve();
          records.push({
            partition,
            offset: message.offset,
            key: message.key?.toString() ?? null,
            value: message.value?.toString() ?? '',
            headers: Object.fromEntries(
              Object.entries(message.headers ?? {}).map(([name, v]) => [name, String(v)]),
            ),
          });
          if (BigInt(message.offset) === end) ends.delete(partition);
          if (ends.size === 0) resolve(undefined);
          return Promise.resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return records;
}

/**
 * Loads the records into the `events` table (created if missing), one row per event id, after
 * checking each against its schema; returns how many were new and the invalid ones' problems.
 * @param {import('@duckdb/node-api').DuckDBConnection} db
 * @param {{ partition: number, offset: string, value: string }[]} records
 * @param {(event: any) => Promise<string[]>} validate
 */
export async function loadEvents(db, records, validate) {
  await db.run(`CREATE TABLE IF NOT EXISTS events (
    id VARCHAR PRIMARY KEY, type VARCHAR, created_at VARCHAR, day DATE, merchant_id VARCHAR,
    object_id VARCHAR, status VARCHAR, currency VARCHAR, amount BIGINT, envelope JSON)`);
  const before = Number((await db.runAndReadAll('SELECT count(*) FROM events')).getRows()[0][0]);
  // Rows go through a staging table with DuckDB's appender (one statement per row would take
  // minutes on a month of events), then into `events` once per id: Kafka delivers at least
  // once, so the same event may be on the topic twice.
  await db.run(`CREATE OR REPLACE TABLE events_incoming (
    id VARCHAR, type VARCHAR, created_at VARCHAR, day VARCHAR, merchant_id VARCHAR,
    object_id VARCHAR, status VARCHAR, currency VARCHAR, amount BIGINT, envelope VARCHAR)`);
  const appender = await db.createAppender('events_incoming');
  /** @param {string | null | undefined} value */
  const text = (value) => {
    if (value === null || value === undefined) appender.appendNull();
    else appender.appendVarchar(value);
  };
  /** @type {string[]} */
  const invalid = [];
  for (const record of records) {
    const where = `partition ${record.partition} offset ${record.offset}`;
    let event;
    try {
      event = JSON.parse(record.value);
    } catch {
      invalid.push(`${where}: not JSON`);
      continue;
    }
    const problems = await validate(event);
    if (problems.length > 0) {
      invalid.push(`${where} (${event?.id ?? 'no id'}): ${problems.join('; ')}`);
      continue;
    }
    const object = event.data.object;
    // What a payment.succeeded took is amount_captured from schema version 2 on (a manual
    // capture can take less than amount); in version 1 it was the whole amount.
    const money =
      event.type === 'payment.succeeded'
        ? (object.amount_captured ?? object.amount)
        : object.amount;
    text(event.id);
    text(event.type);
    text(event.created_at);
    text(event.created_at.slice(0, 10));
    text(event.merchant_id);
    text(object.id);
    text(object.status);
    text(money?.currency);
    if (money?.value === undefined || money.value === null) appender.appendNull();
    else appender.appendBigInt(BigInt(money.value));
    text(record.value);
    appender.endRow();
  }
  appender.closeSync();
  await db.run(`INSERT OR IGNORE INTO events
    SELECT id, type, created_at, day::DATE, merchant_id, object_id, status, currency, amount,
           envelope::JSON
      FROM events_incoming
    QUALIFY row_number() OVER (PARTITION BY id) = 1`);
  await db.run('DROP TABLE events_incoming');
  const after = Number((await db.runAndReadAll('SELECT count(*) FROM events')).getRows()[0][0]);
  await eraseDeletedCustomers(db);
  return { added: after - before, invalid };
}

/** What a deleted customer's email reads as (ERASED_EMAIL in @finfusion/contracts). */
export const ERASED_EMAIL = 'erased@erased.invalid';

/**
 * customer.deleted asks every consumer to erase its copies of that customer's personal data:
 * the stored envelopes of its earlier events keep their ids and fields but the email, name and
 * metadata (loaded from customers.customer.events; payments carry none). Returns how many.
 * @param {import('@duckdb/node-api').DuckDBConnection} db
 */
export async function eraseDeletedCustomers(db) {
  const rows = (
    await db.runAndReadAll(`SELECT e.id, e.envelope::VARCHAR FROM events e
      WHERE e.type LIKE 'customer.%' AND EXISTS (
        SELECT 1 FROM events d WHERE d.type = 'customer.deleted'
          AND d.merchant_id = e.merchant_id AND d.object_id = e.object_id)`)
  ).getRows();
  let erased = 0;
  for (const [id, envelope] of rows) {
    const event = JSON.parse(String(envelope));
    const customer = event.data.object;
    if (
      customer.email === ERASED_EMAIL &&
      customer.name === null &&
      Object.keys(customer.metadata ?? {}).length === 0
    ) {
      continue;
    }
    event.data.object = { ...customer, email: ERASED_EMAIL, name: null, metadata: {} };
    await db.run('UPDATE events SET envelope = $1 WHERE id = $2', {
      1: JSON.stringify(event),
      2: String(id),
    });
    erased += 1;
  }
  return erased;
}

/** The answer, from volume-per-currency-per-day.sql, for every merchant or one. */
export async function volumePerCurrencyPerDay(db, merchant) {
  const sql = fs.readFileSync(path.join(here, 'volume-per-currency-per-day.sql'), 'utf8');
  const result = await db.runAndReadAll(sql, { merchant: merchant ?? null });
  return result.getRowObjectsJson();
}

async function main() {
  const { values } = parseArgs({
    options: {
      brokers: { type: 'string', default: '127.0.0.1:9092' },
      topic: { type: 'string', default: 'payments.payment.events' },
      schemas: { type: 'string', default: 'http://127.0.0.1:3000' },
      db: { type: 'string', default: ':memory:' },
      merchant: { type: 'string' },
      json: { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
    },
  });
  const instance = await DuckDBInstance.create(values.db);
  const db = await instance.connect();
  const records = await readTopic(values.brokers.split(','), values.topic);
  const { added, invalid } = await loadEvents(db, records, eventValidator(values.schemas));
  const rows = await volumePerCurrencyPerDay(db, values.merchant);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ read: records.length, added, invalid, rows })}\n`);
  } else {
    process.stderr.write(`${records.length} records read, ${added} new events loaded\n`);
    for (const problem of invalid) process.stderr.write(`left out: ${problem}\n`);
    console.table(rows);
  }
  db.closeSync();
  if (values.strict && invalid.length > 0) process.exitCode = 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
