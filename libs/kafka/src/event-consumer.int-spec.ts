import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { dlqTopicOf } from '@finfusion/contracts';
import { DeadLetterHeaders, EventConsumer, type ConsumedRecord } from './event-consumer';
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
        seen.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? null,
          headers: Object.fromEntries(
            Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
          ),
        });
        if (seen.length >= count) resolve();
        return Promise.resolve();
      },
    });
  });
  await consumer.disconnect();
  return seen;
}

describe('EventConsumer', () => {
  const topic = `test.consumer-${randomUUID().slice(0, 8)}.events`;

  beforeAll(async () => {
    await provisionTopics(brokers, [
      { topic, numPartitions: 1 },
      { topic: dlqTopicOf(topic), numPartitions: 1 },
    ]);
  });

  it('parks a record that keeps failing on the dead-letter topic and goes on with the partition', async () => {
    const handled: string[] = [];
    let attemptsOnPoison = 0;
    const consumer = new EventConsumer({
      brokers,
      clientId: 'test',
      groupId: `group-${randomUUID()}`,
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
    } finally {
      await consumer.stop();
    }
  });

  it('takes batches whole, and a batch holding a bad record one record at a time', async () => {
    const batchTopic = `test.consumer-batch-${randomUUID().slice(0, 8)}.events`;
    await provisionTopics(brokers, [
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
