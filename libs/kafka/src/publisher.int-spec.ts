import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { KeyedPublisher, RecordTooLargeError, type KeyedRecord } from './publisher';
import { provisionTopics } from './provision';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const quiet = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
};
const kafka = new Kafka({ brokers, clientId: 'publisher-test', logLevel: logLevel.NOTHING });

/** A topic whose broker refuses record batches over `maxMessageBytes`. */
async function smallTopic(maxMessageBytes: number): Promise<string> {
  const topic = `test.publisher-${randomUUID().slice(0, 8)}.events`;
  await provisionTopics({ brokers }, [
    { topic, numPartitions: 2, config: { 'max.message.bytes': String(maxMessageBytes) } },
  ]);
  return topic;
}

async function readAll(topic: string, count: number): Promise<KeyedRecord[]> {
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}`, maxWaitTimeInMs: 200 });
  const seen: KeyedRecord[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`only ${seen.length} of ${count} records arrived`));
    }, 30_000);
    void consumer.run({
      eachMessage: ({ message }) => {
        seen.push({ key: message.key?.toString() ?? '', value: message.value?.toString() ?? '' });
        if (seen.length >= count) {
          clearTimeout(timer);
          resolve();
        }
        return Promise.resolve();
      },
    });
  });
  await consumer.disconnect();
  return seen;
}

const record = (key: string, n: number, bytes: number): KeyedRecord => ({
  key,
  value: JSON.stringify({ n, padding: 'x'.repeat(bytes) }),
});

const valuesOf = (records: KeyedRecord[], key: string): number[] =>
  records.filter((r) => r.key === key).map((r) => (JSON.parse(r.value) as { n: number }).n);

describe('KeyedPublisher', () => {
  it('gets a backlog larger than the broker takes in one request through, in order per key', async () => {
    const topic = await smallTopic(16 * 1024);
    // 120 records of about 1 KB: 120 KB, more than seven times what one request may carry.
    const records = Array.from({ length: 120 }, (_, n) => record(`k${n % 3}`, n, 1000));
    const publisher = new KeyedPublisher({ brokers, clientId: 'test' }, quiet);
    await publisher.connect();
    try {
      await publisher.publish(topic, records);
    } finally {
      await publisher.disconnect();
    }

    const seen = await readAll(topic, records.length);
    expect(seen).toHaveLength(records.length);
    for (const key of ['k0', 'k1', 'k2']) {
      expect(valuesOf(seen, key)).toEqual(valuesOf(records, key));
    }
  });

  it('sends in requests of at most the configured size without waiting for a refusal', async () => {
    const topic = await smallTopic(8 * 1024);
    const warnings: string[] = [];
    const logger = { ...quiet, warn: (_: object, msg: string) => void warnings.push(msg) };
    const records = Array.from({ length: 40 }, (_, n) => record('k', n, 500));
    const publisher = new KeyedPublisher({ brokers, clientId: 'test' }, logger, {
      maxRequestBytes: 6 * 1024,
    });
    await publisher.connect();
    try {
      await publisher.publish(topic, records);
    } finally {
      await publisher.disconnect();
    }
    expect(warnings).toEqual([]);
    expect(valuesOf(await readAll(topic, records.length), 'k')).toEqual(valuesOf(records, 'k'));
  });

  it('fails on a single record too large for the broker, after sending the ones before it', async () => {
    const topic = await smallTopic(4 * 1024);
    const records = [record('a', 0, 100), record('a', 1, 100), record('a', 2, 10_000)];
    const publisher = new KeyedPublisher({ brokers, clientId: 'test' }, quiet);
    await publisher.connect();
    let failure: unknown;
    try {
      await publisher.publish(topic, [...records, record('a', 3, 100)]);
    } catch (error) {
      failure = error;
    } finally {
      await publisher.disconnect();
    }
    expect(failure).toBeInstanceOf(RecordTooLargeError);
    expect(failure).toMatchObject({ published: 2, key: 'a', topic });
    // What came before the large record is there; nothing after it overtook it.
    expect(valuesOf(await readAll(topic, 2), 'a')).toEqual([0, 1]);
  });
});
