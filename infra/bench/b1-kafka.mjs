// Baseline B1: a bare kafkajs request/reply round trip between two processes, the transport the
// gateway and the services use, without NestJS, Postgres or any work. Forked twice by the bench:
//
//   node b1-kafka.mjs responder   consumes the request topic, produces one reply per request to
//                                 the reply topic and partition the request names
//   node b1-kafka.mjs requester   keeps N requests in flight (closed loop), matches replies by
//                                 correlation id, measures each round trip
//
// B1_VARIANT chooses how both sides use kafkajs:
//   single   one message per produce (`send` with one message) and a commit per consumed
//            message (`eachMessage`, autoCommitThreshold 1): what NestJS's stock ClientKafka and
//            ServerKafka do.
//   batched  everything queued before the event loop turns goes out in one `sendBatch`;
//            consumers use `eachBatch` and commit their offsets once a second.
// Both consume all partitions at once (partitionsConsumedConcurrently = partition count), as the
// services do with KAFKA_CONCURRENCY.
//
// Environment: B1_BROKERS, B1_REQUEST_TOPIC, B1_REPLY_TOPIC, B1_GROUP, B1_VARIANT,
// B1_REQUEST_PARTITIONS, B1_REPLY_PARTITIONS. The parent talks over IPC: the child sends
// {ready: true}; the requester then takes {run: {inFlight, seconds}} and answers {result}.
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { summarize, round } from './stats.mjs';

const role = process.argv[2];
const variant = process.env.B1_VARIANT;
const requestTopic = process.env.B1_REQUEST_TOPIC;
const replyTopic = process.env.B1_REPLY_TOPIC;
const requestPartitions = Number(process.env.B1_REQUEST_PARTITIONS);
const replyPartitions = Number(process.env.B1_REPLY_PARTITIONS);
const COMMIT_INTERVAL_MS = 1000;
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Reports to the bench, which forks this script with an IPC channel.
 *
 * @param {object} message
 */
function send(message) {
  if (!process.send) throw new Error('b1-kafka.mjs reports over IPC: run it through bench.mjs');
  process.send(message);
}

if (!['responder', 'requester'].includes(role) || !['single', 'batched'].includes(variant ?? '')) {
  throw new Error('usage: B1_VARIANT=single|batched node b1-kafka.mjs responder|requester');
}

const kafka = new Kafka({
  clientId: `bench-b1-${role}`,
  brokers: /** @type {string} */ (process.env.B1_BROKERS).split(','),
  logLevel: logLevel.ERROR,
});
const producer = kafka.producer({
  allowAutoTopicCreation: false,
  createPartitioner: Partitioners.DefaultPartitioner,
});
const consumer = kafka.consumer({
  groupId: `${process.env.B1_GROUP}-${role}`,
  allowAutoTopicCreation: false,
});

/** Collects the messages queued before the event loop turns, and sends them in one sendBatch. */
class TickBatcher {
  queue = [];
  waiters = [];
  scheduled = false;

  send(topic, message) {
    return new Promise((resolve, reject) => {
      this.queue.push({ topic, message });
      this.waiters.push({ resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.flush();
        });
      }
    });
  }

  flush() {
    const queue = this.queue;
    const waiters = this.waiters;
    this.queue = [];
    this.waiters = [];
    this.scheduled = false;
    const byTopic = new Map();
    for (const { topic, message } of queue) {
      if (!byTopic.has(topic)) byTopic.set(topic, []);
      byTopic.get(topic).push(message);
    }
    const topicMessages = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    producer.sendBatch({ topicMessages }).then(
      () => {
        waiters.forEach((w) => w.resolve());
      },
      (error) => {
        waiters.forEach((w) => w.reject(error));
      },
    );
  }
}

const batcher = new TickBatcher();
const produce = (topic, message) =>
  variant === 'batched'
    ? batcher.send(topic, message)
    : producer.send({ topic, messages: [message] });

/**
 * Runs the consumer with the variant's handler (`handle(message)` per message). The batched
 * variant commits the last handled offset of each partition once a second.
 */
async function consume(topic, partitions, handle) {
  await consumer.subscribe({ topic, fromBeginning: false });
  if (variant === 'single') {
    await consumer.run({
      autoCommitThreshold: 1,
      partitionsConsumedConcurrently: partitions,
      eachMessage: ({ message }) => handle(message),
    });
    return;
  }
  const handled = new Map(); // partition -> next offset to commit
  const commit = async () => {
    const offsets = [...handled].map(([partition, offset]) => ({ topic, partition, offset }));
    handled.clear();
    if (offsets.length > 0) await consumer.commitOffsets(offsets).catch(() => {});
  };
  setInterval(commit, COMMIT_INTERVAL_MS).unref();
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: partitions,
    eachBatch: async ({ batch }) => {
      await Promise.all(batch.messages.map((message) => handle(message)));
      handled.set(batch.partition, (BigInt(batch.lastOffset()) + 1n).toString());
    },
  });
}

function joined() {
  return new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
}

// ── responder ───────────────────────────────────────────────────────────────────────────────

async function responder() {
  await producer.connect();
  await consumer.connect();
  const ready = joined();
  await consume(requestTopic, requestPartitions, async (message) => {
    const request = JSON.parse(message.value.toString());
    await produce(replyTopic, {
      partition: Number(message.headers['reply-partition'].toString()),
      value: JSON.stringify({ id: request.id, status: 'ok', amount: request.amount }),
      headers: { 'correlation-id': message.headers['correlation-id'] },
    });
  });
  await ready;
  send({ ready: true });
}

// ── requester ───────────────────────────────────────────────────────────────────────────────

const pending = new Map(); // correlation id -> { resolve, reject, timer }
let sequence = 0;

/** A request shaped like a payment creation: the same order of size on the wire. */
function request() {
  sequence += 1;
  const id = `req_${process.pid}_${sequence}`;
  const body = JSON.stringify({
    id,
    amount: { value: 1000, currency: 'USD' },
    payment_method: { type: 'card', card: { sealed: 'x'.repeat(160), exp_month: 12 } },
    metadata: { order_id: `order_${sequence}` },
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error('timeout'));
    }, REQUEST_TIMEOUT_MS);
    pending.set(id, { resolve, reject, timer });
    produce(requestTopic, {
      key: id,
      value: body,
      headers: { 'correlation-id': id, 'reply-partition': String(sequence % replyPartitions) },
    }).catch((error) => {
      clearTimeout(timer);
      pending.delete(id);
      reject(error);
    });
  });
}

function onReply(message) {
  const id = message.headers['correlation-id']?.toString();
  const waiter = pending.get(id);
  if (!waiter) return;
  pending.delete(id);
  clearTimeout(waiter.timer);
  waiter.resolve();
}

/** Keeps `inFlight` requests outstanding for `seconds`; returns throughput and percentiles. */
async function closedLoop(inFlight, seconds) {
  const latencies = [];
  let errors = 0;
  const startedAt = performance.now();
  const deadline = startedAt + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const sentAt = performance.now();
      try {
        await request();
        latencies.push(performance.now() - sentAt);
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const elapsed = (performance.now() - startedAt) / 1000;
  return { rps: round(latencies.length / elapsed), ...summarize(latencies), errors };
}

async function requester() {
  await producer.connect();
  await consumer.connect();
  const ready = joined();
  // eslint-disable-next-line @typescript-eslint/require-await -- consume() awaits a promise
  await consume(replyTopic, replyPartitions, async (message) => {
    onReply(message);
  });
  await ready;
  // The reply consumer starts at the end of its partitions once it has fetched them: until a
  // round trip succeeds, an early reply could be missed. Retry a ping until one comes back.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await Promise.race([
      request().then(
        () => true,
        () => false,
      ),
      new Promise((resolve) =>
        setTimeout(() => {
          resolve(false);
        }, 2000),
      ),
    ]);
    if (ok) break;
    if (Date.now() > deadline) throw new Error('no reply within 60 s');
  }
  process.on(
    'message',
    async (/** @type {{ run?: { inFlight: number, seconds: number } }} */ message) => {
      if (!message.run) return;
      const result = await closedLoop(message.run.inFlight, message.run.seconds);
      send({ result });
    },
  );
  send({ ready: true });
}

async function stop() {
  await consumer.disconnect().catch(() => {});
  await producer.disconnect().catch(() => {});
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);

(role === 'responder' ? responder() : requester()).catch((error) => {
  process.send?.({ error: error?.stack ?? String(error) });
  process.exit(1);
});
