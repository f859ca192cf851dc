// How long after its commit an event reaches each of its three readers, measured during the
// open-model run:
//
//   publish     commit → the record on payments.payment.events, read by a kafkajs consumer of
//               the bench's own (a new group, from the end of the topic).
//   webhook     commit → the delivery, received by a node:http server of the bench on 127.0.0.1,
//               registered through the API as an endpoint for payment.succeeded.
//   projection  commit → the daily summary projection's checkpoint passing the event.
//
// The envelope's `created_at` is when the event was decided, just before its commit, so for the
// first two, lag = arrival time − created_at (same machine, same clock). The projection is
// followed through Postgres instead: every 50 ms the sampler reads the head of the event log
// (its highest (transaction id, position), the order the projection follows) and the
// projection's checkpoint; a head's lag is the time from the sample that first saw it to the
// first sample whose checkpoint has passed it. That is exact to the sampling interval.
import http from 'node:http';
import pg from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { summarize } from './stats.mjs';

/** Records every payment event of `merchantId` decided at or after `since` (epoch ms). */
export async function startEventConsumer({ brokers, topic, merchantId }) {
  const kafka = new Kafka({ clientId: 'bench-lags', brokers: [brokers], logLevel: logLevel.ERROR });
  const consumer = kafka.consumer({ groupId: `bench-lags-${Date.now()}-${process.pid}` });
  const events = new Map(); // event id -> { paymentId, lag }
  let since = Infinity;
  await consumer.connect();
  const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
  await consumer.subscribe({ topic, fromBeginning: false });
  await consumer.run({
    // eslint-disable-next-line @typescript-eslint/require-await -- kafkajs takes a promise
    eachMessage: async ({ message }) => {
      const arrivedAt = Date.now();
      let event;
      try {
        event = JSON.parse(String(message.value));
      } catch {
        return;
      }
      const createdAt = Date.parse(event.created_at);
      if (event.merchant_id !== merchantId || !(createdAt >= since) || events.has(event.id)) return;
      events.set(event.id, { paymentId: event.data?.object?.id, lag: arrivedAt - createdAt });
    },
  });
  await joined;
  return {
    /** Counts only events decided from now on. */
    open: () => (since = Date.now()),
    count: (paymentIds) => [...events.values()].filter((e) => paymentIds.has(e.paymentId)).length,
    lags: (paymentIds) =>
      [...events.values()].filter((e) => paymentIds.has(e.paymentId)).map((e) => e.lag),
    stop: () => consumer.disconnect().catch(() => {}),
  };
}

/** A webhook endpoint on 127.0.0.1:`port` that answers 204 at once and records each lag. */
export async function startWebhookReceiver(port) {
  const deliveries = new Map(); // webhook-id -> { paymentId, lag }
  let since = Infinity;
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const arrivedAt = Date.now();
      response.writeHead(204).end();
      let event;
      try {
        event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return;
      }
      const id = request.headers['webhook-id'] ?? event.id;
      const createdAt = Date.parse(event.created_at);
      if (!(createdAt >= since) || deliveries.has(id)) return;
      deliveries.set(id, { paymentId: event.data?.object?.id, lag: arrivedAt - createdAt });
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolve(undefined);
    });
  });
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    open: () => (since = Date.now()),
    count: (paymentIds) =>
      [...deliveries.values()].filter((d) => paymentIds.has(d.paymentId)).length,
    lags: (paymentIds) =>
      [...deliveries.values()].filter((d) => paymentIds.has(d.paymentId)).map((d) => d.lag),
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve(undefined);
        });
      }),
  };
}

const SAMPLE_MS = 50;

/** Samples the head of `schema`.events and the checkpoint of `subscription`, every 50 ms. */
export async function startProjectionSampler({ databaseUrl, schema, subscription }) {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => {});
  await client.connect();
  const samples = [];
  let sampling = false;
  let stopped = false;
  const sql = `
    SELECT h.transaction_id::text AS head_tx, h.global_position::text AS head_pos,
           c.transaction_id::text AS done_tx, c.global_position::text AS done_pos,
           (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS at
      FROM (SELECT 1) AS one
      LEFT JOIN LATERAL (
        SELECT transaction_id, global_position FROM "${schema}".events
         ORDER BY transaction_id DESC, global_position DESC LIMIT 1) AS h ON true
      LEFT JOIN "${schema}".checkpoints AS c ON c.subscription_id = $1`;
  const tuple = (tx, pos) => (tx === null ? [-1n, -1n] : [BigInt(tx), BigInt(pos)]);
  const sample = async () => {
    if (sampling || stopped) return;
    sampling = true;
    try {
      const { rows } = await client.query(sql, [subscription]);
      const row = rows[0];
      samples.push({
        at: row.at,
        head: tuple(row.head_tx, row.head_pos),
        done: tuple(row.done_tx, row.done_pos),
      });
    } catch {
      // a missed sample only coarsens the measurement
    } finally {
      sampling = false;
    }
  };
  const timer = setInterval(sample, SAMPLE_MS);
  const passed = (done, head) => done[0] > head[0] || (done[0] === head[0] && done[1] >= head[1]);
  let windowStart = Infinity;
  let windowEnd = Infinity;
  const heads = () => {
    const result = [];
    for (let i = 1; i < samples.length; i += 1) {
      const { at, head } = samples[i];
      const previous = samples[i - 1].head;
      const moved = head[0] !== previous[0] || head[1] !== previous[1];
      if (moved && at >= windowStart && at <= windowEnd) result.push(i);
    }
    return result;
  };
  return {
    open: () => (windowStart = Date.now()),
    close: () => (windowEnd = Date.now()),
    /** True once the checkpoint has passed every head seen in the window. */
    caughtUp: () => {
      const last = samples.at(-1);
      return heads().every((i) => last && passed(last.done, samples[i].head));
    },
    result: () => {
      const lags = [];
      let missing = 0;
      for (const i of heads()) {
        const j = samples.findIndex((s, k) => k >= i && passed(s.done, samples[i].head));
        if (j === -1) missing += 1;
        else lags.push(samples[j].at - samples[i].at);
      }
      return { lags, missing, interval_ms: SAMPLE_MS };
    },
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await client.end().catch(() => {});
    },
  };
}

export const lagSummary = (lags) => summarize(lags);
