import { randomBytes, randomUUID } from 'node:crypto';
import { Controller, Module, type INestMicroservice, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { KafkaHeaders } from '@nestjs/microservices';
import { Kafka, logLevel, type Consumer, type IHeaders, type Producer } from 'kafkajs';
import { catchError, firstValueFrom, of, throwError, timeout, TimeoutError } from 'rxjs';
import { clientTransport, serverTransport } from '../kafka-options';
import { provisionTopics } from '../provision';
import type { BatchingKafkaClient } from './batching-kafka.client';
import { RequestSigner, type RefusalReason, type SigningKey } from './request-signature';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const suffix = randomUUID().slice(0, 8);
const topics = {
  echo: `test.transport-${suffix}.echo`,
  gated: `test.transport-${suffix}.gated`,
  large: `test.transport-${suffix}.large`,
  throws: `test.transport-${suffix}.throws`,
  closing: `test.transport-${suffix}.closing`,
  rebalance: `test.transport-${suffix}.rebalance`,
  abandoning: `test.transport-${suffix}.abandoning`,
  signed: `test.transport-${suffix}.signed`,
};
const replyTopic = (topic: string) => `${topic}.reply`;
const groups = {
  main: `transport-test-${suffix}`,
  closing: `transport-test-closing-${suffix}`,
  rebalance: `transport-test-rebalance-${suffix}`,
  abandoning: `transport-test-abandoning-${suffix}`,
};
const commitIntervalMs = 100;
/** The `abandoning` server gives up on a request without a reply after this long. */
const abandonAfterMs = 300;
/** The servers' ring: the client signs with the first key; the second is a rotated-out one. */
const ring: SigningKey[] = [
  { id: 'current', key: randomBytes(32) },
  { id: 'previous', key: randomBytes(32) },
];
/** Requests the `signed` handler was given, by id. */
const signedDeliveries = new Set<string>();
/** Every refusal a server reported, in order. */
const refusals: { topic: string; reason: RefusalReason }[] = [];
/** The reply topic of `large` takes records of at most this many bytes. */
const largeReplyLimit = 200_000;

interface TestRequest {
  id: string;
  large?: boolean;
  unserializable?: boolean;
  fail?: boolean;
}

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}

function deferred(): Deferred {
  const deferred: Partial<Deferred> = {};
  deferred.promise = new Promise<void>((resolve) => {
    deferred.resolve = resolve;
  });
  return deferred as Deferred;
}

/** Requests (by id) whose handler waits until the test releases them. */
const holds = new Map<string, { entered: Deferred; released: Deferred; deliveries: number }>();

function hold(id: string) {
  const entry = { entered: deferred(), released: deferred(), deliveries: 0 };
  holds.set(id, entry);
  return {
    entered: entry.entered.promise,
    /** How many times the request reached its handler. */
    deliveries: () => entry.deliveries,
    release: () => {
      entry.released.resolve();
    },
  };
}

async function waitIfHeld(request: TestRequest): Promise<void> {
  const entry = holds.get(request.id);
  if (!entry) return;
  entry.deliveries++;
  entry.entered.resolve();
  await entry.released.promise;
}

const echo = (request: TestRequest) => ({ echoed: request });

@Controller()
class TransportTestController {
  @MessagePattern(topics.echo)
  echo(@Payload() request: TestRequest) {
    return echo(request);
  }

  @MessagePattern(topics.gated)
  async gated(@Payload() request: TestRequest) {
    await waitIfHeld(request);
    return echo(request);
  }

  @MessagePattern(topics.large)
  large(@Payload() request: TestRequest) {
    // Random base64 barely compresses: gzip cannot bring it under the reply topic's limit.
    if (request.large === true) return randomBytes(750_000).toString('base64');
    // JSON has no BigInt: the reply cannot be serialized.
    if (request.unserializable === true) return { amount: 10n };
    return echo(request);
  }

  @MessagePattern(topics.signed)
  signed(@Payload() request: TestRequest) {
    signedDeliveries.add(request.id);
    return echo(request);
  }

  @MessagePattern(topics.throws)
  throws(@Payload() request: TestRequest) {
    if (request.fail === true) throw new Error('the handler failed');
    return echo(request);
  }
}

@Module({ controllers: [TransportTestController] })
class TransportTestModule {}

/** A service with one handler, on `topic`, that echoes once the test releases held requests. */
function heldEchoModule(topic: string): Type {
  @Controller()
  class HeldEchoController {
    @MessagePattern(topic)
    async handle(@Payload() request: TestRequest) {
      await waitIfHeld(request);
      return echo(request);
    }
  }

  @Module({ controllers: [HeldEchoController] })
  class HeldEchoModule {}

  return HeldEchoModule;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` returns something other than undefined; fails after `timeoutMs`. */
async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** `promise`, or a failure naming `what` once `timeoutMs` have passed. */
async function within<T>(what: string, promise: Promise<T>, timeoutMs = 20_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

const kafka = new Kafka({ brokers, clientId: 'transport-test', logLevel: logLevel.NOTHING });
const admin = kafka.admin();
/** Servers still running, closed after the tests. */
const servers = new Map<string, INestMicroservice>();
let client: BatchingKafkaClient;

async function startServer(
  module: Type,
  groupId: string,
  settings: { maxInFlight?: number; abandonAfterMs?: number } = {},
): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice(module, {
    ...serverTransport({
      brokers,
      clientId: 'transport-test',
      groupId,
      maxInFlight: 32,
      lingerMs: 0,
      commitIntervalMs,
      signingKeys: ring,
      signatureMaxAgeMs: 60_000,
      refusalReplyTopics: [replyTopic(topics.signed)],
      onRefused: (topic, reason) => refusals.push({ topic, reason }),
      ...settings,
    }),
    logger: false,
  });
  await app.listen();
  servers.set(groupId, app);
  return app;
}

/** Closes a server once: a later close (in afterAll) skips it. */
function closeServer(groupId: string): Promise<void> {
  const app = servers.get(groupId);
  servers.delete(groupId);
  return app ? app.close() : Promise.resolve();
}

/**
 * A new group starts at the end of each partition, looked up at its first fetch: a record written
 * before that would be skipped. Any completed fetch comes after that first one.
 */
function aFetchOf(consumer: Consumer): Promise<void> {
  return within(
    'a consumer to fetch',
    new Promise((resolve) => {
      const stop = consumer.on(consumer.events.FETCH, () => {
        stop();
        resolve();
      });
    }),
  );
}

const serverConsumer = (app: INestMicroservice) => app.unwrap<[unknown, Consumer]>()[1];

async function connectClient(): Promise<void> {
  await client.connect();
  await eventually('the reply partitions to be assigned', () => {
    const assigned = client.getConsumerAssignments();
    return Object.values(topics).every((topic) => replyTopic(topic) in assigned) ? true : undefined;
  });
  await aFetchOf(client.consumer);
}

/** Sends one request and waits (boundedly) for its reply. */
function call<T = unknown>(topic: string, key: string, value: TestRequest): Promise<T> {
  return firstValueFrom(client.send<T>(topic, { key, value }).pipe(timeout(20_000)));
}

/**
 * Sends a request its handler never answers: the caller hears 'no reply' from its own deadline,
 * as the gateway's callers do, rather than waiting for good.
 */
function callUnanswered(topic: string, key: string, value: TestRequest): Promise<unknown> {
  return firstValueFrom(
    client.send(topic, { key, value }).pipe(
      timeout(2_000),
      catchError((error: unknown) =>
        error instanceof TimeoutError ? of('no reply') : throwError(() => error),
      ),
    ),
  );
}

/** The group's committed offset of partition 0 of `topic` (-1 when none). */
async function committedOffset(groupId: string, topic: string): Promise<number> {
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const partition = committed?.partitions.find((p) => p.partition === 0);
  return Number(partition?.offset ?? -1);
}

/** The offset the next record of partition 0 of `topic` will get. */
async function endOffset(topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return Number(offsets.find((p) => p.partition === 0)?.high ?? -1);
}

const committedTo = (groupId: string, topic: string, offset: number) =>
  eventually(`the commit of ${groupId} on ${topic} to reach ${offset}`, async () =>
    (await committedOffset(groupId, topic)) === offset ? true : undefined,
  );

beforeAll(async () => {
  await provisionTopics({ brokers }, [
    { topic: topics.echo, numPartitions: 3 },
    { topic: replyTopic(topics.echo), numPartitions: 2 },
    { topic: topics.gated, numPartitions: 1 },
    { topic: replyTopic(topics.gated), numPartitions: 1 },
    { topic: topics.large, numPartitions: 1 },
    {
      topic: replyTopic(topics.large),
      numPartitions: 1,
      config: { 'max.message.bytes': String(largeReplyLimit) },
    },
    { topic: topics.throws, numPartitions: 1 },
    { topic: replyTopic(topics.throws), numPartitions: 1 },
    { topic: topics.closing, numPartitions: 1 },
    { topic: replyTopic(topics.closing), numPartitions: 1 },
    { topic: topics.rebalance, numPartitions: 1 },
    { topic: replyTopic(topics.rebalance), numPartitions: 1 },
    { topic: topics.abandoning, numPartitions: 1 },
    { topic: replyTopic(topics.abandoning), numPartitions: 1 },
    { topic: topics.signed, numPartitions: 1 },
    { topic: replyTopic(topics.signed), numPartitions: 1 },
  ]);
  await admin.connect();

  const started = await Promise.all([
    startServer(TransportTestModule, groups.main),
    startServer(heldEchoModule(topics.closing), groups.closing),
    startServer(heldEchoModule(topics.rebalance), groups.rebalance),
    // One request at a time: a request that held its place for good would stop everything.
    startServer(heldEchoModule(topics.abandoning), groups.abandoning, {
      maxInFlight: 1,
      abandonAfterMs,
    }),
  ]);
  client = clientTransport({
    brokers,
    clientId: 'transport-test-client',
    groupId: `transport-test-client-${suffix}`,
    lingerMs: 0,
    commitIntervalMs,
    signingKeys: ring,
  });
  for (const topic of Object.values(topics)) client.subscribeToResponseOf(topic);
  await Promise.all([connectClient(), ...started.map((app) => aFetchOf(serverConsumer(app)))]);
});

afterAll(async () => {
  // A failed test may have left a request held: let it go, or its server could not close.
  for (const entry of holds.values()) entry.released.resolve();
  await client.close();
  await Promise.all([...servers.keys()].map(closeServer));
  await admin.disconnect();
});

describe('the batching Kafka transport', () => {
  it('answers 200 concurrent requests each with its own reply', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `concurrent-${i}`);

    const replies = await Promise.all(
      ids.map((id, i) => call(topics.echo, `key-${i % 7}`, { id })),
    );

    expect(replies).toEqual(ids.map((id) => echo({ id })));
  });

  it('answers requests behind a slow one on the same partition without waiting for it', async () => {
    const slow = hold('slow-behind');
    let slowReply: unknown;
    const slowReplied = call(topics.gated, 'same', { id: 'slow-behind' }).then((reply) => {
      slowReply = reply;
    });
    await slow.entered;

    const ids = Array.from({ length: 20 }, (_, i) => `fast-${i}`);
    const replies = await Promise.all(ids.map((id) => call(topics.gated, 'same', { id })));

    expect(replies).toEqual(ids.map((id) => echo({ id })));
    expect(slowReply).toBeUndefined();
    slow.release();
    await slowReplied;
    expect(slowReply).toEqual(echo({ id: 'slow-behind' }));
  });

  it('never commits past a request whose reply is not out, and commits the rest once it is', async () => {
    const slowOffset = await endOffset(topics.gated);
    const slow = hold('slow-commit');
    const slowReplied = call(topics.gated, 'same', { id: 'slow-commit' });
    await slow.entered;
    const ids = Array.from({ length: 10 }, (_, i) => `after-slow-${i}`);
    await Promise.all(ids.map((id) => call(topics.gated, 'same', { id })));

    // Everything before the slow request is answered, so commits reach it, and stay there.
    const reached = await eventually('the commit to reach the slow request', async () => {
      const committed = await committedOffset(groups.main, topics.gated);
      return committed >= slowOffset ? committed : undefined;
    });
    expect(reached).toBe(slowOffset);
    for (let i = 0; i < 5; i++) {
      await sleep(commitIntervalMs);
      expect(await committedOffset(groups.main, topics.gated)).toBe(slowOffset);
    }

    slow.release();
    await slowReplied;
    const end = await endOffset(topics.gated);
    expect(end).toBe(slowOffset + 1 + ids.length);
    await committedTo(groups.main, topics.gated, end);
  });

  it('turns a reply too large for its reply topic into an error reply for that request alone', async () => {
    const [tooLarge, beside] = await Promise.all([
      call(topics.large, 'same', { id: 'too-large', large: true }),
      call(topics.large, 'same', { id: 'beside-too-large' }),
    ]);

    expect(tooLarge).toEqual({
      ok: false,
      status: 500,
      error: { type: 'api_error', code: 'internal_error', message: expect.any(String) as unknown },
    });
    expect(beside).toEqual(echo({ id: 'beside-too-large' }));
    await expect(call(topics.large, 'same', { id: 'after-too-large' })).resolves.toEqual(
      echo({ id: 'after-too-large' }),
    );
  });

  it('turns a reply that cannot be serialized into an error reply and goes on with the partition', async () => {
    const before = await endOffset(topics.large);

    await expect(
      call(topics.large, 'same', { id: 'bigint', unserializable: true }),
    ).resolves.toEqual({
      ok: false,
      status: 500,
      error: { type: 'api_error', code: 'internal_error', message: expect.any(String) as unknown },
    });
    await expect(call(topics.large, 'same', { id: 'after-bigint' })).resolves.toEqual(
      echo({ id: 'after-bigint' }),
    );
    await committedTo(groups.main, topics.large, before + 2);
  });

  it('answers a request whose handler throws with an error and goes on with the partition', async () => {
    await expect(call(topics.throws, 'same', { id: 'throws', fail: true })).rejects.toEqual({
      status: 'error',
      message: 'Internal server error',
    });
    await expect(call(topics.throws, 'same', { id: 'after-throws' })).resolves.toEqual(
      echo({ id: 'after-throws' }),
    );

    const end = await endOffset(topics.throws);
    expect(end).toBe(2);
    await committedTo(groups.main, topics.throws, end);
  });

  it('lets a request in flight reply when the server closes, commits it, then leaves', async () => {
    const request = hold('in-flight-at-close');
    let reply: unknown;
    const replied = call(topics.closing, 'same', { id: 'in-flight-at-close' }).then((value) => {
      reply = value;
    });
    await request.entered;

    let closed = false;
    const closing = closeServer(groups.closing).then(() => {
      closed = true;
    });
    // The server waits for the request however long it takes: give it a few commit intervals.
    await sleep(5 * commitIntervalMs);
    expect(closed).toBe(false);
    expect(reply).toBeUndefined();

    request.release();
    await within('the reply and the close', Promise.all([closing, replied]));
    expect(reply).toEqual(echo({ id: 'in-flight-at-close' }));
    expect(await committedOffset(groups.closing, topics.closing)).toBe(1);
  });

  it('answers a request that a rebalance delivered again while in flight, and still closes', async () => {
    // A commit below the held request: after the rebalance the partition is fetched from there.
    await call(topics.rebalance, 'same', { id: 'before-rebalance' });
    await committedTo(groups.rebalance, topics.rebalance, 1);
    const request = hold('across-rebalance');
    const replied = call(topics.rebalance, 'same', { id: 'across-rebalance' });
    await request.entered;

    // Another member joins the group and leaves: the partition is handed out afresh, fetched
    // again from the last commit, and the request in flight is delivered once more.
    const visitor = kafka.consumer({ groupId: groups.rebalance });
    await visitor.connect();
    await visitor.subscribe({ topics: [topics.rebalance] });
    await visitor.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: () => Promise.resolve(),
    });
    await visitor.disconnect();
    await eventually('the request to be delivered again', () =>
      request.deliveries() > 1 ? true : undefined,
    );

    request.release();
    await expect(replied).resolves.toEqual(echo({ id: 'across-rebalance' }));
    await within('the server to close', closeServer(groups.rebalance));
    expect(await committedOffset(groups.rebalance, topics.rebalance)).toBe(2);
  });

  it('gives up on a request never answered: the partition goes on, commits pass it, and the server closes', async () => {
    // Held requests the test never releases: their handler does not answer while it runs.
    const silentOffset = await endOffset(topics.abandoning);
    const silent = hold('silent');
    const silentReply = callUnanswered(topics.abandoning, 'same', { id: 'silent' });
    await within('the silent request to reach its handler', silent.entered);

    // With one request in flight at most, this one is handled only once the silent one is given up.
    await expect(call(topics.abandoning, 'same', { id: 'after-silent' })).resolves.toEqual(
      echo({ id: 'after-silent' }),
    );
    await committedTo(groups.abandoning, topics.abandoning, silentOffset + 2);

    // Closing waits for requests in flight, but not for one that is never answered.
    const atClose = hold('silent-at-close');
    const atCloseReply = callUnanswered(topics.abandoning, 'same', { id: 'silent-at-close' });
    await within('the request at close to reach its handler', atClose.entered);
    await within('the server to close', closeServer(groups.abandoning));
    expect(await committedOffset(groups.abandoning, topics.abandoning)).toBe(silentOffset + 3);

    await expect(
      within('the silent callers to hear', Promise.all([silentReply, atCloseReply])),
    ).resolves.toEqual(['no reply', 'no reply']);
  });

  it('sends requests and reads replies again after the client was closed and connected anew', async () => {
    await client.close();
    await connectClient();

    await expect(call(topics.echo, 'again', { id: 'after-reconnect' })).resolves.toEqual(
      echo({ id: 'after-reconnect' }),
    );
  });
});

describe('request signatures', () => {
  let producer: Producer;
  let replyReader: Consumer;
  /** Replies on the `signed` topic's reply topic, by correlation id, as JSON. */
  const replies = new Map<string, unknown>();

  beforeAll(async () => {
    producer = kafka.producer();
    replyReader = kafka.consumer({
      groupId: `transport-test-replies-${suffix}`,
      maxWaitTimeInMs: 100,
    });
    await Promise.all([producer.connect(), replyReader.connect()]);
    await replyReader.subscribe({ topic: replyTopic(topics.signed) });
    await replyReader.run({
      eachMessage: ({ message }) => {
        const id = message.headers?.[KafkaHeaders.CORRELATION_ID]?.toString();
        if (id !== undefined) replies.set(id, JSON.parse(message.value?.toString() ?? 'null'));
        return Promise.resolve();
      },
    });
    await aFetchOf(replyReader);
  });

  afterAll(async () => {
    await Promise.all([producer.disconnect(), replyReader.disconnect()]);
  });

  const routeOf = (correlationId: string): Record<string, string> => ({
    [KafkaHeaders.CORRELATION_ID]: correlationId,
    [KafkaHeaders.REPLY_TOPIC]: replyTopic(topics.signed),
    [KafkaHeaders.REPLY_PARTITION]: '0',
  });

  /** Puts a request on the `signed` topic as any client of the brokers could. */
  const sendRaw = async (value: TestRequest, headers: IHeaders) => {
    await producer.send({
      topic: topics.signed,
      messages: [{ key: 'raw', value: JSON.stringify(value), headers }],
    });
  };

  const signedHeaders = (signer: RequestSigner, correlationId: string, value: TestRequest) => {
    const route = routeOf(correlationId);
    return { ...route, ...signer.sign(topics.signed, route, Buffer.from(JSON.stringify(value))) };
  };

  const replyTo = (correlationId: string) =>
    eventually(`the reply to ${correlationId}`, () => replies.get(correlationId));

  const refusal = {
    ok: false,
    status: 500,
    error: expect.objectContaining({ type: 'api_error', code: 'internal_error' }) as unknown,
  };

  it('hands requests signed with the current or a rotated-out key of the ring to their handler', async () => {
    const previous = new RequestSigner([ring[1] as SigningKey], 60_000);

    const current = await call(topics.signed, 'k', { id: 'signed-current' });
    await sendRaw(
      { id: 'signed-previous' },
      signedHeaders(previous, 'c-previous', { id: 'signed-previous' }),
    );

    expect(current).toEqual(echo({ id: 'signed-current' }));
    await expect(replyTo('c-previous')).resolves.toEqual(echo({ id: 'signed-previous' }));
  });

  it('refuses an unsigned request before its handler and answers it with an error', async () => {
    await sendRaw({ id: 'unsigned' }, routeOf('c-unsigned'));

    await expect(replyTo('c-unsigned')).resolves.toEqual(refusal);
    expect(signedDeliveries.has('unsigned')).toBe(false);
    expect(refusals).toContainEqual({ topic: topics.signed, reason: 'unsigned' });
  });

  it('refuses a forged signature, an unknown key and a value changed after signing', async () => {
    const forger = new RequestSigner([{ id: 'current', key: randomBytes(32) }], 60_000);
    const stranger = new RequestSigner([{ id: 'other', key: randomBytes(32) }], 60_000);
    const genuine = new RequestSigner(ring, 60_000);

    await sendRaw({ id: 'forged' }, signedHeaders(forger, 'c-forged', { id: 'forged' }));
    await sendRaw({ id: 'stranger' }, signedHeaders(stranger, 'c-stranger', { id: 'stranger' }));
    await sendRaw({ id: 'altered' }, signedHeaders(genuine, 'c-altered', { id: 'original' }));

    for (const id of ['c-forged', 'c-stranger', 'c-altered']) {
      await expect(replyTo(id)).resolves.toEqual(refusal);
    }
    expect(['forged', 'stranger', 'altered'].filter((id) => signedDeliveries.has(id))).toEqual([]);
    expect(refusals).toEqual(
      expect.arrayContaining([
        { topic: topics.signed, reason: 'bad_signature' },
        { topic: topics.signed, reason: 'unknown_key' },
      ]),
    );
  });

  it('refuses an unsigned request without reply headers, which Nest would run as an event', async () => {
    const before = refusals.length;

    await sendRaw({ id: 'unsigned-event' }, {});
    // Handled in order on the one partition: once the next request is answered, the first was seen.
    await call(topics.signed, 'raw', { id: 'after-event' });

    expect(signedDeliveries.has('unsigned-event')).toBe(false);
    expect(refusals.slice(before)).toEqual([{ topic: topics.signed, reason: 'unsigned' }]);
  });
});
