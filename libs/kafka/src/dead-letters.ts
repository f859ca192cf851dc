import { randomUUID } from 'node:crypto';
import { Kafka, Partitioners, type IHeaders, type KafkaMessage } from 'kafkajs';
import { DeadLetterHeaders, redact } from './event-consumer';
import { kafkaClientConfig, type KafkaConnection } from './kafka-options';

/** Written to a dead-letter topic once a parked record has been replayed: `<partition>:<offset>`. */
export const REPLAY_MARKER_HEADER = 'dlq-replayed';
const REPLAYED_AT_HEADER = 'dlq-replayed-at';

/** A parked record as an operator may see it: where it came from and why, never its value. */
export interface ParkedRecord {
  dlqTopic: string;
  dlqPartition: number;
  dlqOffset: string;
  topic: string | undefined;
  partition: string | undefined;
  offset: string | undefined;
  group: string | undefined;
  error: string | undefined;
  failedAt: string | undefined;
  attempts: string | undefined;
  key: string | null;
  /** Bytes of the value. */
  size: number;
  /** The public event's id and type, when the value is one. */
  eventId: string | undefined;
  eventType: string | undefined;
  /** When `npm run dlq -- replay` re-sent it, if it did. */
  replayedAt: string | undefined;
}

export interface DeadLetterFilter {
  group?: string;
  /** Offsets in the dead-letter topic. */
  offsets?: string[];
}

interface Fetched {
  partition: number;
  message: KafkaMessage;
}

/** Every record of a topic, read from the start to its current end by a throwaway consumer. */
async function readTopic(kafka: Kafka, topic: string): Promise<Fetched[]> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `dlq-cli-${randomUUID()}`;
  try {
    const ends = (await admin.fetchTopicOffsets(topic)).filter(
      ({ offset, low }) => BigInt(offset) > BigInt(low),
    );
    if (ends.length === 0) return [];
    const remaining = new Map(ends.map(({ partition, offset }) => [partition, BigInt(offset)]));
    const fetched: Fetched[] = [];
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`reading ${topic} took longer than 60 s`));
        }, 60_000);
        consumer
          .run({
            autoCommit: false,
            eachMessage: ({ partition, message }) => {
              fetched.push({ partition, message });
              const end = remaining.get(partition);
              if (end !== undefined && BigInt(message.offset) + 1n >= end) {
                remaining.delete(partition);
              }
              if (remaining.size === 0) {
                clearTimeout(timer);
                resolve();
              }
              return Promise.resolve();
            },
          })
          .catch((error: unknown) => {
            clearTimeout(timer);
            reject(error instanceof Error ? error : new Error(String(error)));
          });
      });
    } finally {
      await consumer.disconnect();
    }
    return fetched;
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

const header = (message: KafkaMessage, name: string): string | undefined => {
  const value = message.headers?.[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.map(String).join(',') : value.toString();
};

/** Reads only `id` and `type`: the rest of a value is never shown. */
function eventFields(value: Buffer | null): { id?: string; type?: string } {
  if (!value) return {};
  try {
    const parsed = JSON.parse(value.toString()) as { id?: unknown; type?: unknown } | null;
    return {
      ...(typeof parsed?.id === 'string' && { id: parsed.id.slice(0, 64) }),
      ...(typeof parsed?.type === 'string' && { type: parsed.type.slice(0, 64) }),
    };
  } catch {
    return {};
  }
}

/** The parked records of one dead-letter topic, oldest first, with what was replayed already. */
export async function listParked(
  connection: KafkaConnection,
  dlqTopic: string,
  filter: DeadLetterFilter = {},
): Promise<ParkedRecord[]> {
  const kafka = new Kafka(kafkaClientConfig({ ...connection, clientId: 'dlq-cli' }));
  return toParked(dlqTopic, await readTopic(kafka, dlqTopic), filter);
}

function toParked(dlqTopic: string, fetched: Fetched[], filter: DeadLetterFilter): ParkedRecord[] {
  const replayed = new Map<string, string>();
  for (const { message } of fetched) {
    const marker = header(message, REPLAY_MARKER_HEADER);
    if (marker !== undefined) replayed.set(marker, header(message, REPLAYED_AT_HEADER) ?? '?');
  }
  return fetched
    .filter(({ message }) => header(message, REPLAY_MARKER_HEADER) === undefined)
    .map(({ partition, message }): ParkedRecord => {
      const event = eventFields(message.value);
      const error = header(message, DeadLetterHeaders.error);
      return {
        dlqTopic,
        dlqPartition: partition,
        dlqOffset: message.offset,
        topic: header(message, DeadLetterHeaders.topic),
        partition: header(message, DeadLetterHeaders.partition),
        offset: header(message, DeadLetterHeaders.offset),
        group: header(message, DeadLetterHeaders.group),
        error: error === undefined ? undefined : redact(error),
        failedAt: header(message, DeadLetterHeaders.failedAt),
        attempts: header(message, DeadLetterHeaders.attempts),
        key: message.key?.toString() ?? null,
        size: message.value?.length ?? 0,
        eventId: event.id,
        eventType: event.type,
        replayedAt: replayed.get(`${partition}:${message.offset}`),
      };
    })
    .filter(
      (record) =>
        (filter.group === undefined || record.group === filter.group) &&
        (filter.offsets === undefined || filter.offsets.includes(record.dlqOffset)),
    );
}

/**
 * Re-sends parked records to their original topic, each marked for the consumer group that
 * parked it (`dlq-replay-group`): the other groups of that topic pass over it, having handled it
 * already. A marker on the dead-letter topic records each replay, so replaying again re-sends
 * nothing twice. Returns the records replayed now.
 */
export async function replayParked(
  connection: KafkaConnection,
  dlqTopic: string,
  filter: DeadLetterFilter = {},
): Promise<ParkedRecord[]> {
  const kafka = new Kafka(kafkaClientConfig({ ...connection, clientId: 'dlq-cli' }));
  const all = await readTopic(kafka, dlqTopic);
  const due = toParked(dlqTopic, all, filter).filter(
    (record) =>
      record.replayedAt === undefined && record.topic !== undefined && record.group !== undefined,
  );
  if (due.length === 0) return [];
  const byOffset = new Map(
    all.map(({ partition, message }) => [`${partition}:${message.offset}`, message]),
  );
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const done: ParkedRecord[] = [];
  try {
    for (const record of due) {
      const message = byOffset.get(`${record.dlqPartition}:${record.dlqOffset}`);
      if (!message || record.topic === undefined || record.group === undefined) continue;
      const headers: IHeaders = Object.fromEntries(
        Object.entries(message.headers ?? {}).filter(
          ([name, value]) => !name.startsWith('dlq-') && value !== undefined,
        ),
      );
      headers[DeadLetterHeaders.replayGroup] = record.group;
      await producer.send({
        topic: record.topic,
        acks: -1,
        messages: [{ key: message.key, value: message.value, headers }],
      });
      const replayedAt = new Date().toISOString();
      await producer.send({
        topic: dlqTopic,
        acks: -1,
        messages: [
          {
            partition: record.dlqPartition,
            key: message.key,
            value: null,
            headers: {
              [REPLAY_MARKER_HEADER]: `${record.dlqPartition}:${record.dlqOffset}`,
              [REPLAYED_AT_HEADER]: replayedAt,
              [DeadLetterHeaders.group]: record.group,
            },
          },
        ],
      });
      done.push({ ...record, replayedAt });
    }
  } finally {
    await producer.disconnect();
  }
  return done;
}
