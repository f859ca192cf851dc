// The baselines, measured in the same run against the same broker and Postgres as the platform:
//
// B0  a bare Fastify + pg server (b0-server.mjs) doing one INSERT … RETURNING per request,
//     driven by the same load generator at the same connection counts as the HTTP scenarios.
//     Every scenario's ratio_to_b0 is its req/s over B0's at the same connections.
// B1  a bare kafkajs request/reply round trip between two processes (b1-kafka.mjs), in two
//     variants (single, batched) at 16, 64 and 256 requests in flight.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { closedLoad } from './http-load.mjs';

export const B1_IN_FLIGHT = [16, 64, 256];
export const B1_VARIANTS = ['single', 'batched'];
const B0_TABLE = 'bench_b0_writes';
// The project's partition counts for request and reply topics (libs/contracts topicPlan()).
const REQUEST_PARTITIONS = 6;
const REPLY_PARTITIONS = 8;

/**
 * B0 at each connection count. `measure(name, fn)` wraps a measurement with the process
 * sampler and returns `{...fn(), resources}`.
 */
export async function runB0({ stack, log, port, connections, seconds, warmUp, body, measure }) {
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(`DROP TABLE IF EXISTS ${B0_TABLE}`);
    await client.query(
      `CREATE TABLE ${B0_TABLE} (id bigserial PRIMARY KEY, body jsonb NOT NULL,
         created_at timestamptz(3) NOT NULL DEFAULT now())`,
    );
  } finally {
    await client.end().catch(() => {});
  }
  const helper = await stack.fork('b0-server', 'b0-server.mjs', [], {
    B0_PORT: String(port),
    B0_DATABASE_URL: stack.databaseUrl,
    B0_POOL_SIZE: '10',
    B0_TABLE,
  });
  const url = `http://127.0.0.1:${port}`;
  const shape = {
    method: 'POST',
    path: '/b0',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer sk_test_${'x'.repeat(32)}`,
    },
    body,
    idempotent: true,
  };
  const rows = [];
  try {
    await closedLoad({ url, shape, connections: Math.max(...connections), seconds: warmUp });
    for (const c of connections) {
      log.step(`b0: POST /b0 (Fastify + pg, one INSERT) — ${seconds} s, ${c} connections`);
      const row = await measure(`b0@${c}`, () =>
        closedLoad({ url, shape, connections: c, seconds }),
      );
      rows.push({ name: 'b0', route: 'POST /b0', connections: c, ...row });
      log.ok(line(row));
    }
  } finally {
    await stack.stopHelper(helper);
  }
  return rows;
}

/** B1 in one variant at each in-flight count, on two scratch topics created for it. */
export async function runB1({ stack, log, variant, seconds, warmUp, measure }) {
  const run = `${Date.now()}-${randomUUID().slice(0, 8)}`;
  const requestTopic = `bench.b1.${variant}.${run}.requests`;
  const replyTopic = `bench.b1.${variant}.${run}.replies`;
  const kafka = new Kafka({
    clientId: 'bench-admin',
    brokers: [stack.brokers],
    logLevel: logLevel.ERROR,
  });
  const admin = kafka.admin();
  await admin.connect();
  const rows = [];
  const helpers = [];
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: requestTopic, numPartitions: REQUEST_PARTITIONS, replicationFactor: 1 },
        { topic: replyTopic, numPartitions: REPLY_PARTITIONS, replicationFactor: 1 },
      ],
    });
    const env = {
      B1_BROKERS: stack.brokers,
      B1_REQUEST_TOPIC: requestTopic,
      B1_REPLY_TOPIC: replyTopic,
      B1_GROUP: `bench-b1-${variant}-${run}`,
      B1_VARIANT: variant,
      B1_REQUEST_PARTITIONS: String(REQUEST_PARTITIONS),
      B1_REPLY_PARTITIONS: String(REPLY_PARTITIONS),
    };
    log.step(`b1.${variant}: starting a kafkajs responder and requester…`);
    helpers.push(await stack.fork('b1-responder', 'b1-kafka.mjs', ['responder'], env));
    const requester = await stack.fork('b1-requester', 'b1-kafka.mjs', ['requester'], env);
    helpers.push(requester);
    await stack.ask(requester, { run: { inFlight: B1_IN_FLIGHT[0], seconds: warmUp } });
    for (const inFlight of B1_IN_FLIGHT) {
      log.step(`b1.${variant}: kafkajs round trips — ${seconds} s, ${inFlight} in flight`);
      const row = await measure(`b1.${variant}@${inFlight}`, () =>
        stack.ask(requester, { run: { inFlight, seconds } }),
      );
      rows.push({ name: `b1.${variant}`, in_flight: inFlight, ...row });
      log.ok(line(row, 'round trips/s'));
    }
  } finally {
    for (const helper of helpers.reverse()) await stack.stopHelper(helper);
    await admin.deleteTopics({ topics: [requestTopic, replyTopic] }).catch(() => {});
    await admin.disconnect().catch(() => {});
  }
  return rows;
}

export function line(row, unit = 'req/s') {
  const errors = row.errors > 0 ? `, ${row.errors} errors` : '';
  return (
    `${Math.round(row.rps)} ${unit}, p50 ${row.p50_ms} ms, p99 ${row.p99_ms} ms, ` +
    `p99.9 ${row.p99_9_ms} ms${errors}`
  );
}
