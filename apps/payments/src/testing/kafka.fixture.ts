import { topicsOf } from '@finfusion/contracts';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type IHeaders } from 'kafkajs';
import { kafkaClientConfig, provisionTopics } from '@finfusion/kafka';
import { eventually, KAFKA_BROKERS } from './database.fixture';

export const brokers = KAFKA_BROKERS.split(',');

export const provisionPaymentsTopics = () => provisionTopics({ brokers }, topicsOf('payments'));

export interface ReadRecord {
  key: string;
  value: string;
  headers: Record<string, string>;
  partition: number;
  offset: string;
}

const headerText = (headers: IHeaders | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, String(value)]));

/** Reads a topic from its end as it was when `open` was called, in a group of its own. */
export class TopicReader {
  readonly records: ReadRecord[] = [];

  private constructor(private readonly consumer: Consumer) {}

  static async open(topic: string): Promise<TopicReader> {
    const kafka = new Kafka({
      ...kafkaClientConfig({ brokers, clientId: 'payments-int-test' }),
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    // Right after provisioning, a partition may not have its leader yet: ask again until it does.
    const offsets = await eventually(() => admin.fetchTopicOffsets(topic).catch(() => undefined));
    await admin.disconnect();
    const consumer = kafka.consumer({ groupId: `payments-int-test-${randomUUID()}` });
    const reader = new TopicReader(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ partition, message }) => {
        reader.records.push({
          key: message.key?.toString('utf8') ?? '',
          value: message.value?.toString('utf8') ?? '',
          headers: headerText(message.headers),
          partition,
          offset: message.offset,
        });
        return Promise.resolve();
      },
    });
    for (const { partition, high } of offsets) consumer.seek({ topic, partition, offset: high });
    return reader;
  }

  /** Waits until `count` records match, then returns those records. */
  async waitFor(match: (record: ReadRecord) => boolean, count: number, timeoutMs = 15_000) {
    return eventually(() => {
      const found = this.records.filter(match);
      return Promise.resolve(found.length >= count ? found : undefined);
    }, timeoutMs);
  }

  close(): Promise<void> {
    return this.consumer.disconnect();
  }
}
