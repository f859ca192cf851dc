import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { testEnv } from './env';

export interface PublishedRecord {
  key: string;
  /** Sent as JSON unless it is a string already. */
  value: unknown;
  headers?: Record<string, string>;
}

/**
 * Publishes records to a topic of the test broker as a service's relay would (keyed, acks=all),
 * for tests of consumers fed by a service that is not the one under test.
 */
export async function publishRecords(topic: string, records: PublishedRecord[]): Promise<void> {
  const kafka = new Kafka({
    clientId: 'finfusion-tests',
    brokers: testEnv.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: records.map(({ key, value, headers }) => ({
        key,
        value: typeof value === 'string' ? value : JSON.stringify(value),
        ...(headers !== undefined && { headers }),
      })),
    });
  } finally {
    await producer.disconnect();
  }
}
