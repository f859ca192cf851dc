import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { DataSource } from 'typeorm';
import { dlqTopicOf } from '@finfusion/contracts';
import { DeadLetterHeaders, EventConsumer, toRecord, type ConsumedRecord } from './event-consumer';
import { provisionTopics } from './provision';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const quiet = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
};
const kafka = new Kafka({ brokers, clientId: 'event-consumer-test', logLevel: logLevel.NOTHING });

async function produce(topic: string, messages: { key: string; value: string }[]) {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic, messages });
  await producer.disconnect();
}

async function readAll(topic: string, count: number): Promise<ConsumedRecord[]> {
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}` });
  const seen: ConsumedRecord[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message, partition }) => {
        seen.push(toRecord(topic, partition, message));
        if (seen.length >= count) resolve();
        return Promise.resolve();
      },
    });
  });
  await consumer.disconnect();
  return seen;
}

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/finfusion_test';
const direct = new DataSource({ type: 'postgres', url: databaseUrl, extra: { max: 2 } });
const admin = kafka.admin();

beforeAll(async () => {
  await direct.initialize();
  await admin.connect();
});

afterAll(async () => {
  await direct.destroy();
  await admin.disconnect();
});

async function freshTopic(): Promise<string> {
  const topic = `test.consumer-${randomUUID().slice(0, 8)}.events`;
  await provisionTopics({ brokers }, [
    { topic, numPartitions: 1 },
    { topic: dlqTopicOf(topic), numPartitions: 1 },
  ]);
  return topic;
}

async function parkedCount(topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(dlqTopicOf(topic));
  return offsets.reduce((sum, { offset, low }) => sum + Number(offset) - Number(low), 0);
}

async function committed(groupId: string, topic: string): Promise<string | undefined> {
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return entry?.partitions[0]?.offset;
}

function consumerOf(topic: string, groupId: string, handled: string[]): EventConsumer {
  return new EventConsumer({
    brokers,
    clientId: 'test',
    groupId,
    topics: [topic],
    logger: quiet,
    handle: (record) => {
      handled.push(record.value ?? '');
      return Promise.resolve();
    },
  });
}

/** `npm run dlq`, as the built command runs. */
async function dlqCli(args: string[]): Promise<string> {
  const cli = path.join(__dirname, '..', 'dist', 'dlq.cli.js');
  const { stdout } = await promisify(execFile)(process.execPath, [cli, ...args], {
    env: { ...process.env, KAFKA_BROKERS: brokers.join(',') },
  });
  return stdout;
}

/** A TCP hop to Postgres that can be taken away and brought back, like a database outage. */
async function postgresProxy(): Promise<{
  port: number;
  stop: () => Promise<void>;
  start: () => Promise<void>;
}> {
  const target = new URL(databaseUrl);
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const start = () =>
    new Promise<void>((resolve) => {
      const listening = net.createServer((client) => {
        const upstream = net.connect(Number(target.port || 5432), target.hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream).pipe(client);
      });
      listening.listen(port, '127.0.0.1', () => {
        port = (listening.address() as net.AddressInfo).port;
        server = listening;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      if (!server) {
        resolve();
        return;
      }
      server.close(() => {
        resolve();
      });
      server = undefined;
    });
  await start();
  return { port, start, stop };
}

describe('EventConsumer', () => {
  const topic = `test.consumer-${randomUUID().slice(0, 8)}.events`;

  beforeAll(async () => {
    await provisionTopics({ brokers }, [
      { topic, numPartitions: 1 },
      { topic: dlqTopicOf(topic), numPartitions: 1 },
    ]);
  });

  const groupId = `group-${randomUUID()}`;

  it('parks a record that keeps failing on the dead-letter topic and goes on with the partition', async () => {
    const handled: string[] = [];
    let attemptsOnPoison = 0;
    const consumer = new EventConsumer({
      brokers,
      clientId: 'test',
      groupId,
      topics: [topic],
      logger: quiet,
      maxAttempts: 3,
      retryDelayMs: 10,
      handle: (record) => {
        if (record.value === 'poison') {
          attemptsOnPoison++;
          return Promise.reject(new Error('cannot handle poison'));
        }
        handled.push(record.value ?? '');
        return Promise.resolve();
      },
    });
    await produce(topic, [
      { key: 'a', value: 'first' },
      { key: 'a', value: 'poison' },
      { key: 'a', value: 'after' },
    ]);
    await consumer.start();
    try {
      const deadline = Date.now() + 20_000;
      while (handled.length < 2 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(handled).toEqual(['first', 'after']);
      expect(attemptsOnPoison).toBe(3);
      expect(consumer.readiness.check().ok).toBe(true);

      const [parked] = await readAll(dlqTopicOf(topic), 1);
      expect(parked?.value).toBe('poison');
      expect(parked?.key).toBe('a');
      expect(parked?.headers[DeadLetterHeaders.error]).toBe('cannot handle poison');
      expect(parked?.headers[DeadLetterHeaders.topic]).toBe(topic);
      expect(parked?.headers[DeadLetterHeaders.attempts]).toBe('3');
      expect(parked?.headers[DeadLetterHeaders.group]).toBe(groupId);
    } finally {
      await consumer.stop();
    }
  });

  it('lists a parked record without its value, replays it for its group only, and only once', async () => {
    const list = await dlqCli(['list', '--topic', topic]);
    expect(list).toContain(`group ${groupId}`);
    expect(list).toContain(`from ${topic} partition 0 offset 1`);
    expect(list).toContain('error: cannot handle poison');
    expect(list).toContain('key a, 6 bytes');
    expect(list).toContain('1 parked record(s) listed');
    expect(list).not.toMatch(/^.*"poison"/m);

    expect(await dlqCli(['replay', '--topic', topic, '--group', 'another-group'])).toContain(
      '0 record(s) replayed',
    );
    expect(await dlqCli(['replay', '--topic', topic, '--group', groupId])).toContain(
      '1 record(s) replayed',
    );
    expect(await dlqCli(['replay', '--topic', topic])).toContain('0 record(s) replayed');
    expect(await dlqCli(['list', '--topic', topic])).toMatch(/@0 {2}replayed \d{4}-/);

    // The group that parked it gets it again; another group, which handled it, passes over it.
    const again: string[] = [];
    const other: string[] = [];
    const consumers = [
      consumerOf(topic, groupId, again),
      consumerOf(topic, `other-${randomUUID()}`, other),
    ];
    for (const consumer of consumers) await consumer.start();
    try {
      const deadline = Date.now() + 20_000;
      while ((again.length < 1 || other.length < 3) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(again).toEqual(['poison']);
      expect(other).toEqual(['first', 'poison', 'after']);
    } finally {
      for (const consumer of consumers) await consumer.stop();
    }
  });

  it('waits out an outage longer than its attempts last, parking nothing and committing nothing past it', async () => {
    const outageTopic = await freshTopic();
    const group = `group-${randomUUID()}`;
    const handled: string[] = [];
    const outageEnds = Date.now() + 6_000;
    const consumer = new EventConsumer({
      brokers,
      clientId: 'test',
      groupId: group,
      topics: [outageTopic],
      logger: quiet,
      maxAttempts: 3,
      retryDelayMs: 50,
      maxRetryDelayMs: 500,
      handle: (record) => {
        if (record.value !== 'first' && Date.now() < outageEnds) {
          const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
            code: 'ECONNREFUSED',
          });
          return Promise.reject(new Error('query failed', { cause: refused }));
        }
        handled.push(record.value ?? '');
        return Promise.resolve();
      },
    });
    await produce(outageTopic, [
      { key: 'a', value: 'first' },
      { key: 'a', value: 'second' },
      { key: 'a', value: 'third' },
    ]);
    await consumer.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      expect(handled).toEqual(['first']);
      expect(await committed(group, outageTopic)).not.toBe('3');
      const deadline = Date.now() + 20_000;
      while (handled.length < 3 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(handled).toEqual(['first', 'second', 'third']);
      expect(consumer.readiness.check().ok).toBe(true);
    } finally {
      await consumer.stop();
    }
    expect(await parkedCount(outageTopic)).toBe(0);
  });

  it('rides out Postgres going away for real, storing every record once it is back', async () => {
    const outageTopic = await freshTopic();
    const proxy = await postgresProxy();
    const url = new URL(databaseUrl);
    url.port = String(proxy.port);
    url.hostname = '127.0.0.1';
    const db = new DataSource({
      type: 'postgres',
      url: url.toString(),
      extra: { max: 2, connectionTimeoutMillis: 1000 },
    });
    await db.initialize();
    const table = `consumer_outage_${randomUUID().slice(0, 8)}`;
    await db.query(`CREATE TABLE ${table} (value text PRIMARY KEY)`);
    const consumer = new EventConsumer({
      brokers,
      clientId: 'test',
      groupId: `group-${randomUUID()}`,
      topics: [outageTopic],
      logger: quiet,
      maxAttempts: 3,
      retryDelayMs: 50,
      maxRetryDelayMs: 500,
      handle: async (record) => {
        await db.query(`INSERT INTO ${table} VALUES ($1) ON CONFLICT DO NOTHING`, [record.value]);
      },
    });
    const stored = async (): Promise<number> => {
      const [row] = await direct.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`);
      return row?.n ?? 0;
    };
    await consumer.start();
    try {
      await produce(outageTopic, [{ key: 'a', value: 'before' }]);
      const deadline = Date.now() + 20_000;
      while ((await stored()) < 1 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await proxy.stop();
      await produce(
        outageTopic,
        Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, value: `during-${i}` })),
      );
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      expect(await stored()).toBe(1);
      await proxy.start();
      while ((await stored()) < 6 && Date.now() < deadline + 20_000) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await stored()).toBe(6);
    } finally {
      await consumer.stop();
      await db.destroy();
      await proxy.stop();
      await direct.query(`DROP TABLE ${table}`);
    }
    expect(await parkedCount(outageTopic)).toBe(0);
  });

  it('takes batches whole, and a batch holding a bad record one record at a time', async () => {
    const batchTopic = `test.consumer-batch-${randomUUID().slice(0, 8)}.events`;
    await provisionTopics({ brokers }, [
      { topic: batchTopic, numPartitions: 1 },
      { topic: dlqTopicOf(batchTopic), numPartitions: 1 },
    ]);
    const batches: string[][] = [];
    const oneByOne: string[] = [];
    const consumer = new EventConsumer({
      brokers,
      clientId: 'test',
      groupId: `group-${randomUUID()}`,
      topics: [batchTopic],
      logger: quiet,
      maxAttempts: 2,
      retryDelayMs: 10,
      handleBatch: (records) => {
        const values = records.map((record) => record.value ?? '');
        if (values.includes('poison')) return Promise.reject(new Error('a bad record'));
        batches.push(values);
        return Promise.resolve();
      },
      handle: (record) => {
        if (record.value === 'poison') return Promise.reject(new Error('cannot handle poison'));
        oneByOne.push(record.value ?? '');
        return Promise.resolve();
      },
    });
    await produce(batchTopic, [
      { key: 'a', value: 'one' },
      { key: 'a', value: 'two' },
      { key: 'a', value: 'poison' },
      { key: 'a', value: 'three' },
    ]);
    await consumer.start();
    try {
      const [parked] = await readAll(dlqTopicOf(batchTopic), 1);
      expect(parked?.value).toBe('poison');
      const deadline = Date.now() + 20_000;
      while (batches.flat().length + oneByOne.length < 3 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // However kafkajs split the fetch, every good record got in exactly once.
      expect([...batches.flat(), ...oneByOne].sort()).toEqual(['one', 'three', 'two']);
      expect(oneByOne).not.toContain('poison');
    } finally {
      await consumer.stop();
    }
  });
});
