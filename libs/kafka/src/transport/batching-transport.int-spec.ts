import { randomBytes, randomUUID } from 'node:crypto';
import { Controller, Module, type INestMicroservice, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Kafka, logLevel, type Admin, type Consumer } from 'kafkajs';
import { firstValueFrom, timeout } from 'rxjs';
import { clientTransport, serverTransport } from '../kafka-options';
import { provisionTopics } from '../provision';
import type { BatchingKafkaClient } from './batching-kafka.client';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const suffix = randomUUID().slice(0, 8);
const topics = {
  echo: `test.transport-${suffix}.echo`,
  gated: `test.transport-${suffix}.gated`,
  large: `test.transport-${suffix}.large`,
  throws: `test.transport-${suffix}.throws`,
  closing: `test.transport-${suffix}.closing`,
};
const replyTopic = (topic: string) => `${topic}.reply`;
const serverGroup = `transport-test-${suffix}`;
const closingGroup = `transport-test-closing-${suffix}`;
const commitIntervalMs = 100;
/** The reply topic of `large` takes records of at most this many bytes. */
const largeReplyLimit = 200_000;

interface TestRequest {
  id: string;
  large?: boolean;
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
const holds = new Map<string, { entered: Deferred; released: Deferred }>();

function hold(id: string) {
  const entry = { entered: deferred(), released: deferred() };
  holds.set(id, entry);
  return {
    entered: entry.entered.promise,
    release: () => {
      entry.released.resolve();
    },
  };
}

async function waitIfHeld(request: TestRequest): Promise<void> {
  const entry = holds.get(request.id);
  if (!entry) return;
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
    return request.large === true ? randomBytes(750_000).toString('base64') : echo(request);
  }

  @MessagePattern(topics.throws)
  throws(@Payload() request: TestRequest) {
    if (request.fail === true) throw new Error('the handler failed');
    return echo(request);
  }
}

@Module({ controllers: [TransportTestController] })
class TransportTestModule {}

@Controller()
class ClosingTestController {
  @MessagePattern(topics.closing)
  async closing(@Payload() request: TestRequest) {
    await waitIfHeld(request);
    return echo(request);
  }
}

@Module({ controllers: [ClosingTestController] })
class ClosingTestModule {}

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

let admin: Admin;
let server: INestMicroservice;
let closingServer: INestMicroservice | undefined;
let client: BatchingKafkaClient;

async function startServer(module: Type, groupId = serverGroup): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice(module, {
    ...serverTransport({
      brokers,
      clientId: 'transport-test',
      groupId,
      maxInFlight: 32,
      lingerMs: 0,
      commitIntervalMs,
    }),
    logger: false,
  });
  await app.listen();
  return app;
}

function aFetchOf(consumer: Consumer): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error('timed out waiting for a consumer to fetch'));
    }, 20_000);
    const stop = consumer.on(consumer.events.FETCH, () => {
      stop();
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Sends one request and waits (boundedly) for its reply. */
function call<T = unknown>(topic: string, key: string, value: TestRequest): Promise<T> {
  return firstValueFrom(client.send<T>(topic, { key, value }).pipe(timeout(20_000)));
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

beforeAll(async () => {
  await provisionTopics(brokers, [
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
  ]);
  admin = new Kafka({ brokers, clientId: 'transport-test', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();

  server = await startServer(TransportTestModule);
  closingServer = await startServer(ClosingTestModule, closingGroup);
  client = clientTransport({
    brokers,
    clientId: 'transport-test-client',
    groupId: `transport-test-client-${suffix}`,
    lingerMs: 0,
    commitIntervalMs,
  });
  for (const topic of Object.values(topics)) client.subscribeToResponseOf(topic);
  await client.connect();
  await eventually('the reply partitions to be assigned', () => {
    const assigned = client.getConsumerAssignments();
    return Object.values(topics).every((topic) => replyTopic(topic) in assigned) ? true : undefined;
  });
  // A new group starts at the end of each partition, looked up at its first fetch: a record
  // written before that would be skipped. Any completed fetch comes after that first one.
  await Promise.all([
    aFetchOf(server.unwrap<[unknown, Consumer]>()[1]),
    aFetchOf(closingServer.unwrap<[unknown, Consumer]>()[1]),
    aFetchOf(client.consumer),
  ]);
});

afterAll(async () => {
  // A failed test may have left a request held: let it go, or its server could not close.
  for (const entry of holds.values()) entry.released.resolve();
  await client.close();
  await server.close();
  await closingServer?.close();
  await admin.disconnect();
});

describe('the batching Kafka transport', () => {
  it('answers 200 concurrent requests each with its own reply', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `concurrent-${i}`);

    const replies = await Promise.all(
      ids.map((id, i) => call(topics.echo, `key-${i % 7}`, { id })),
    );

    expect(replies).toEqual(ids.map((id) => ({ echoed: { id } })));
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

    expect(replies).toEqual(ids.map((id) => ({ echoed: { id } })));
    expect(slowReply).toBeUndefined();
    slow.release();
    await slowReplied;
    expect(slowReply).toEqual({ echoed: { id: 'slow-behind' } });
  });

  it('never commits past a request whose reply is not out, and commits the rest once it is', async () => {
    const slowOffset = await endOffset(topics.gated);
    const slow = hold('slow-commit');
    const slowReplied = call(topics.gated, 'same', { id: 'slow-commit' });
    await slow.entered;
    const ids = Array.from({ length: 10 }, (_, i) => `after-slow-${i}`);
    await Promise.all(ids.map((id) => call(topics.gated, 'same', { id })));

    // Everything before the slow request is answered, so commits reach it, and stay there.
    await eventually('the commit to reach the slow request', async () =>
      (await committedOffset(serverGroup, topics.gated)) === slowOffset ? true : undefined,
    );
    for (let i = 0; i < 5; i++) {
      await sleep(commitIntervalMs);
      expect(await committedOffset(serverGroup, topics.gated)).toBe(slowOffset);
    }

    slow.release();
    await slowReplied;
    const end = await endOffset(topics.gated);
    expect(end).toBe(slowOffset + 1 + ids.length);
    await eventually('the commit to reach the end of the partition', async () =>
      (await committedOffset(serverGroup, topics.gated)) === end ? true : undefined,
    );
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
    expect(beside).toEqual({ echoed: { id: 'beside-too-large' } });
    await expect(call(topics.large, 'same', { id: 'after-too-large' })).resolves.toEqual({
      echoed: { id: 'after-too-large' },
    });
  });

  it('answers a request whose handler throws with an error and goes on with the partition', async () => {
    await expect(call(topics.throws, 'same', { id: 'throws', fail: true })).rejects.toEqual({
      status: 'error',
      message: 'Internal server error',
    });
    await expect(call(topics.throws, 'same', { id: 'after-throws' })).resolves.toEqual({
      echoed: { id: 'after-throws' },
    });

    const end = await endOffset(topics.throws);
    expect(end).toBe(2);
    await eventually('the commit to pass both requests', async () =>
      (await committedOffset(serverGroup, topics.throws)) === end ? true : undefined,
    );
  });

  it('lets a request in flight reply when the server closes, commits it, then leaves', async () => {
    const running = closingServer!;
    const request = hold('in-flight-at-close');
    let reply: unknown;
    const replied = call(topics.closing, 'same', { id: 'in-flight-at-close' }).then((value) => {
      reply = value;
    });
    await request.entered;

    let closed = false;
    const closing = running.close().then(() => {
      closed = true;
    });
    // The server waits for the request however long it takes: give it a few commit intervals.
    await sleep(5 * commitIntervalMs);
    expect(closed).toBe(false);
    expect(reply).toBeUndefined();

    request.release();
    await Promise.all([closing, replied]);
    closingServer = undefined;
    expect(reply).toEqual({ echoed: { id: 'in-flight-at-close' } });
    expect(await committedOffset(closingGroup, topics.closing)).toBe(1);
  });
});
