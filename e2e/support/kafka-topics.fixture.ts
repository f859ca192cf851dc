import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { ConsumedRecord } from '@finfusion/kafka';
import { testEnv, waitUntil } from '@finfusion/testing';

/** A record as the services' own consumers see it: raw text of key, value and headers. */
export type TopicRecord = ConsumedRecord;

/**
 * Every record the broker still holds on the topics `select` picks, read from the beginning up
 * to the end offsets at the time of the call: raw text of keys, values and headers.
 */
export async function readTopics(select: (topic: string) => boolean): Promise<TopicRecord[]> {
  const kafka = new Kafka({
    clientId: 'finfusion-tests-reader',
    brokers: testEnv.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, bigint>(); // `${topic}/${partition}` -> last offset to read
  let topics: string[];
  try {
    topics = (await admin.listTopics()).filter(select).sort();
    for (const topic of topics) {
      for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(high) > BigInt(low)) ends.set(`${topic}/${partition}`, BigInt(high) - 1n);
      }
    }
  } finally {
    await admin.disconnect();
  }
  const records: TopicRecord[] = [];
  if (ends.size === 0) return records;

  const seen = new Map<string, bigint>();
  const consumer = kafka.consumer({
    groupId: `test-reader-${randomUUID()}`,
    maxWaitTimeInMs: 100,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ topic, partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers ?? {})) {
          if (value !== undefined) headers[name] = value.toString();
        }
        records.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString('utf8') ?? null,
          value: message.value?.toString('utf8') ?? null,
          headers,
        });
        seen.set(`${topic}/${partition}`, BigInt(message.offset));
        return Promise.resolve();
      },
    });
    await waitUntil(
      () => [...ends].every(([partition, end]) => (seen.get(partition) ?? -1n) >= end),
      60_000,
      100,
    );
  } finally {
    await consumer.disconnect();
  }
  return records;
}
