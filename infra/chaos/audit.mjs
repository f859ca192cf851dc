// The audit after a scenario, once the load has settled and the system has drained. Everything
// is read from the sources of truth directly: Postgres (not through the proxy), Kafka from the
// beginning of the event topics, and what the webhook receivers verified.
import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';
import { run, sleep } from '../dev/common.mjs';

const { Kafka, logLevel } = kafkajs;
export const EVENT_TOPICS = ['payments.payment.events', 'customers.customer.events'];

/** Statuses a client may see while a fault lasts; a 500 or 502 is never acceptable. */
const FAULT_STATUSES = new Set([503, 504, 409, 429]);
const isSuccess = (status) => status === 200 || status === 201 || status === 402;

/** The merchant's log: events of both schemas, in log order. */
export async function readLog(pg, merchantId) {
  const read = async (schema) =>
    (
      await pg.query(
        `SELECT stream_id, stream_version, event_id, event_type, metadata
           FROM "${schema}".events WHERE metadata->>'merchantId' = $1 ORDER BY global_position`,
        [merchantId],
      )
    ).rows;
  return { payments: await read('payments'), customers: await read('customers') };
}

/** Waits until every (event, endpoint) pair has reached its receiver, or the time is up. */
export async function drainWebhooks({ pg, merchantId, endpoints, timeoutMs }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const log = await readLog(pg, merchantId);
    const ids = [...log.payments, ...log.customers].map((e) => e.event_id);
    const missing = endpoints.reduce(
      (n, endpoint) => n + ids.filter((id) => !endpoint.received().has(id)).length,
      0,
    );
    if (missing === 0 || Date.now() > deadline) return missing;
    await sleep(1000);
  }
}

/** Every record of the event topics, from the beginning up to the current high watermarks. */
export async function readTopics(brokers) {
  const kafka = new Kafka({
    clientId: 'chaos-audit',
    brokers: [brokers],
    logLevel: process.env.CHAOS_KAFKA_LOG ? logLevel.INFO : logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map();
  for (const topic of EVENT_TOPICS) {
    for (const { partition, offset, low } of await admin.fetchTopicOffsets(topic)) {
      if (Number(offset) > Number(low)) ends.set(`${topic}:${partition}`, Number(offset));
    }
  }
  const groupId = `chaos-audit-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1000 });
  /** @type {Record<string, object[]>} */
  const records = Object.fromEntries(EVENT_TOPICS.map((t) => [t, []]));
  const pending = new Set(ends.keys());
  try {
    if (pending.size > 0) {
      await consumer.connect();
      await consumer.subscribe({ topics: EVENT_TOPICS, fromBeginning: true });
      await new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error('reading the event topics took > 60 s'));
        }, 60_000);
        consumer.on(consumer.events.CRASH, ({ payload }) => {
          reject(payload.error);
        });
        consumer
          .run({
            // eslint-disable-next-line @typescript-eslint/require-await -- kafkajs takes a promise
            eachBatch: async ({ batch }) => {
              const id = `${batch.topic}:${batch.partition}`;
              for (const message of batch.messages) {
                if (Number(message.offset) >= (ends.get(id) ?? 0)) continue;
                // Another program's records (a test's poison message) are not ours to read.
                const value = parseJson(message.value);
                if (value !== undefined) records[batch.topic].push(value);
              }
              if (Number(batch.lastOffset()) + 1 >= (ends.get(id) ?? 0)) pending.delete(id);
              if (pending.size === 0) {
                clearTimeout(timer);
                resolve(undefined);
              }
            },
          })
          .catch(reject);
      });
    }
  } finally {
    await consumer.disconnect().catch(() => {});
    await admin.deleteGroups([groupId]).catch(() => {});
    await admin.disconnect().catch(() => {});
  }
  return records;
}

function parseJson(buffer) {
  try {
    return buffer ? JSON.parse(buffer.toString('utf8')) : undefined;
  } catch {
    return undefined;
  }
}

async function paymentRows(pg, merchantId) {
  const { rows } = await pg.query(
    'SELECT * FROM payments.payments WHERE merchant_id = $1 ORDER BY id',
    [merchantId],
  );
  return new Map(rows.map((row) => [row.id, JSON.stringify(row)]));
}

/**
 * Runs every check of one scenario. `fault` is { start, end } in ms since the epoch; errors are
 * allowed from its start until `recoveryLimitMs` after its end. Returns { ok, problems,
 * summary }.
 */
export async function audit({
  pg,
  merchantId,
  load,
  endpoints,
  brokers,
  fault,
  recoveryLimitMs,
  rebuildEnv,
}) {
  const problems = [];
  const problem = (text) => problems.push(text);

  // ── what clients saw ──────────────────────────────────────────────────────────────────────
  let faultErrors = 0;
  let lastErrorEnd = 0;
  for (const request of load.requests) {
    if (!request.final) problem(`${request.kind} ${request.key}: no final answer`);
    else if (!isSuccess(request.final.status)) {
      problem(
        `${request.kind} ${request.key}: final answer ${request.final.status} ${request.final.code ?? ''}`,
      );
    }
    for (const attempt of request.attempts) {
      if (attempt.status !== undefined && isSuccess(attempt.status)) continue;
      const what = attempt.status ?? attempt.error;
      if (attempt.status !== undefined && !FAULT_STATUSES.has(attempt.status)) {
        problem(
          `${request.kind} ${request.key}: answered ${what} ${attempt.code ?? ''} ${attempt.param ?? ''}`,
        );
      }
      const inFault =
        fault !== undefined &&
        attempt.end >= fault.start &&
        attempt.end <= fault.end + recoveryLimitMs;
      if (!inFault) problem(`${request.kind} ${request.key}: ${what} outside the fault`);
      faultErrors += 1;
      lastErrorEnd = Math.max(lastErrorEnd, attempt.end);
    }
  }
  const recoveryMs = fault && lastErrorEnd > 0 ? Math.max(0, lastErrorEnd - fault.end) : 0;

  // ── the log, the read models ──────────────────────────────────────────────────────────────
  const log = await readLog(pg, merchantId);
  const keys = new Map(load.requests.map((r) => [r.key, r]));
  const streams = new Map(); // stream id -> events
  for (const event of [...log.payments, ...log.customers]) {
    if (!streams.has(event.stream_id)) streams.set(event.stream_id, []);
    streams.get(event.stream_id).push(event);
  }
  for (const [streamId, events] of streams) {
    const versions = events.map((e) => e.stream_version).sort((a, b) => a - b);
    if (versions.some((v, i) => v !== i + 1))
      problem(`${streamId}: versions ${versions} have a gap`);
  }
  const createdByKey = new Map();
  for (const event of log.payments) {
    if (event.event_type !== 'PaymentCreated') continue;
    const key = event.metadata.idempotencyKey;
    if (!keys.has(key)) problem(`payment ${event.stream_id}: created by no request (key ${key})`);
    if (createdByKey.has(key)) {
      problem(`key ${key}: payments ${createdByKey.get(key)} and ${event.stream_id}`);
    }
    createdByKey.set(key, event.stream_id);
  }
  const { rows: customers } = await pg.query(
    'SELECT id, idempotency_key FROM customers.customers WHERE merchant_id = $1',
    [merchantId],
  );
  const customerIds = new Set(customers.map((c) => c.id));
  for (const customer of customers) {
    if (!keys.has(customer.idempotency_key))
      problem(`customer ${customer.id}: created by no request`);
  }
  const readModel = await paymentRows(pg, merchantId);

  let answered = 0;
  for (const request of load.requests) {
    const successes = request.attempts.filter((a) => a.status !== undefined && isSuccess(a.status));
    if (successes.length === 0) continue;
    answered += 1;
    const ids = new Set(successes.map((a) => a.id));
    if (ids.size !== 1) problem(`key ${request.key}: answered with ids ${[...ids].join(',')}`);
    const id = successes[0].id;
    const events = streams.get(id) ?? [];
    const first = events.filter((e) => e.stream_version === 1);
    if (first.length !== 1) problem(`${id}: ${first.length} creation events in the log`);
    else if (first[0].metadata.idempotencyKey !== request.key) {
      problem(`${id}: created under another key`);
    }
    if (request.kind === 'payment') {
      const row = readModel.get(id);
      const expected = request.final.status === 402 ? 'failed' : 'succeeded';
      if (!row) problem(`payment ${id}: not in the read model`);
      else if (JSON.parse(row).status !== expected) problem(`payment ${id}: not ${expected}`);
    } else if (!customerIds.has(id)) problem(`customer ${id}: not in the customers table`);
  }

  // The read model equals a rebuild from the log (the rebuild command, swapped in live).
  const rebuilt = await run(process.execPath, ['apps/payments/dist/rebuild.cli.js', 'payments'], {
    env: rebuildEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (rebuilt.code !== 0) problem(`rebuild failed: ${rebuilt.stderr.trim().slice(-300)}`);
  else {
    const after = await paymentRows(pg, merchantId);
    for (const [id, row] of readModel) {
      if (after.get(id) !== row) problem(`payment ${id}: read model differs from the rebuild`);
    }
    for (const id of after.keys())
      if (!readModel.has(id)) problem(`payment ${id}: only in the rebuild`);
  }

  // ── Kafka: every event at least once, counted once by id, in order per stream ────────────
  const topics = await readTopics(brokers);
  const seen = new Map(); // event id -> envelope, first occurrence
  const orderOf = new Map(); // stream id -> sequences in topic order, first occurrences only
  for (const topic of EVENT_TOPICS) {
    for (const value of topics[topic]) {
      if (value.merchant_id !== merchantId || seen.has(value.id)) continue;
      seen.set(value.id, value);
      const streamId = value.data.object.id;
      if (!orderOf.has(streamId)) orderOf.set(streamId, []);
      orderOf.get(streamId).push(value.sequence);
    }
  }
  for (const event of [...log.payments, ...log.customers]) {
    if (!seen.has(event.event_id)) problem(`${event.event_id} (${event.stream_id}): not on Kafka`);
  }
  for (const [streamId, sequences] of orderOf) {
    if (sequences.some((s, i) => i > 0 && s <= sequences[i - 1])) {
      problem(`${streamId}: out of order on Kafka (${sequences})`);
    }
  }

  // ── webhooks: every (event, subscribed endpoint) pair verified by its receiver ───────────
  let deliveries = 0;
  for (const endpoint of endpoints) {
    for (const event of [...log.payments, ...log.customers]) {
      if (endpoint.received().has(event.event_id)) deliveries += 1;
      else problem(`${event.event_id}: never verified at ${endpoint.name}`);
    }
  }

  return {
    ok: problems.length === 0,
    problems,
    summary: {
      requests: load.requests.length,
      answered,
      faultErrors,
      recoveryMs,
      events: log.payments.length + log.customers.length,
      deliveries,
    },
  };
}
