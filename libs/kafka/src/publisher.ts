import { Kafka, Partitioners, type IHeaders, type Producer } from 'kafkajs';
import { kafkaClientConfig, type KafkaSettings } from './kafka-options';
import { kafkaLogCreator, type StructuredLogger } from './kafka-logger';

export interface KeyedRecord {
  key: string;
  value: string;
  headers?: IHeaders;
}

export interface KeyedPublisherOptions {
  /**
   * The most bytes of records sent in one produce request. Kafka refuses a record batch larger
   * than the topic's `max.message.bytes` (1 MiB by default), so a backlog is sent in requests of
   * at most this size; a request the broker still refuses is halved and sent again.
   */
  maxRequestBytes?: number;
}

/** Under Kafka's default `max.message.bytes` (1 MiB), with room for the batch's own framing. */
export const DEFAULT_MAX_REQUEST_BYTES = 900 * 1024;

/** A record's framing in a v2 record batch (lengths, deltas, attributes): at most this much. */
const RECORD_OVERHEAD_BYTES = 64;
/** The record batch header. */
const BATCH_OVERHEAD_BYTES = 61;

/**
 * One record is larger than the broker accepts: it cannot be sent until the topic's
 * `max.message.bytes` is raised. The records before it (`published`) are acknowledged; none after
 * it was sent, so each key keeps its order.
 */
export class RecordTooLargeError extends Error {
  override readonly name = 'RecordTooLargeError';
  readonly recordTooLarge = true;

  constructor(
    readonly topic: string,
    readonly key: string,
    readonly bytes: number,
    readonly published: number,
    cause: unknown,
  ) {
    super(
      `a record of ${bytes} bytes (key ${key}) is larger than the broker accepts on ${topic}; ` +
        `raise the topic's max.message.bytes`,
      { cause },
    );
  }
}

/**
 * Publishes records keyed by aggregate id, acknowledged by all in-sync replicas. One request in
 * flight keeps a key's records in order across retries; a retry may duplicate a record, which
 * at-least-once consumers already expect (the event id is stable).
 *
 * A batch of any size gets through: it is sent in requests of at most `maxRequestBytes`, one
 * after the other, and a request the broker refuses as too large is halved (and the smaller size
 * kept for that topic). Only a single record too large for the broker fails, as
 * `RecordTooLargeError`.
 */
export class KeyedPublisher {
  private readonly producer: Producer;
  private readonly maxRequestBytes: number;
  /** Per topic: a request size the broker refused, halved; later requests stay under it. */
  private readonly learnedLimits = new Map<string, number>();

  constructor(
    settings: KafkaSettings,
    private readonly logger: StructuredLogger,
    options: KeyedPublisherOptions = {},
  ) {
    this.maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
    this.producer = new Kafka({
      ...kafkaClientConfig(settings),
      logCreator: kafkaLogCreator(logger),
    }).producer({
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  async publish(topic: string, records: KeyedRecord[]): Promise<void> {
    let published = 0;
    while (published < records.length) {
      const limit = Math.min(this.maxRequestBytes, this.learnedLimits.get(topic) ?? Infinity);
      const request = takeUpTo(records, published, limit);
      published += await this.send(topic, request, published);
    }
  }

  /**
   * Sends the records in order, halving on MESSAGE_TOO_LARGE; returns how many it sent. The
   * requests go one at a time, so a key's records never overtake one another.
   */
  private async send(topic: string, records: KeyedRecord[], before: number): Promise<number> {
    try {
      await this.producer.send({ topic, acks: -1, messages: records });
      return records.length;
    } catch (error) {
      if (!isTooLarge(error)) throw error;
      const bytes = requestBytes(records);
      const [first] = records;
      if (records.length === 1 && first) {
        throw new RecordTooLargeError(topic, first.key, bytes, before, error);
      }
      this.learnedLimits.set(topic, Math.floor(bytes / 2));
      this.logger.warn(
        { topic, records: records.length, bytes },
        'the broker refused a produce request as too large; sending it in halves',
      );
      const half = Math.ceil(records.length / 2);
      const sent = await this.send(topic, records.slice(0, half), before);
      return sent + (await this.send(topic, records.slice(half), before + sent));
    }
  }
}

export const recordBytes = (record: KeyedRecord): number => {
  let bytes =
    RECORD_OVERHEAD_BYTES + Buffer.byteLength(record.key) + Buffer.byteLength(record.value);
  for (const [name, value] of Object.entries(record.headers ?? {})) {
    bytes += Buffer.byteLength(name) + 8;
    for (const part of Array.isArray(value) ? value : [value]) {
      if (part !== undefined)
        bytes += typeof part === 'string' ? Buffer.byteLength(part) : part.length;
    }
  }
  return bytes;
};

const requestBytes = (records: KeyedRecord[]): number =>
  records.reduce((sum, record) => sum + recordBytes(record), BATCH_OVERHEAD_BYTES);

/** The records from `start` that fit in `limit` bytes; always at least one. */
function takeUpTo(records: KeyedRecord[], start: number, limit: number): KeyedRecord[] {
  let bytes = BATCH_OVERHEAD_BYTES;
  let end = start;
  while (end < records.length) {
    const record = records[end];
    if (!record) break;
    bytes += recordBytes(record);
    if (bytes > limit && end > start) break;
    end++;
    if (bytes > limit) break;
  }
  return records.slice(start, end);
}

/** MESSAGE_TOO_LARGE (or RECORD_LIST_TOO_LARGE), however deep kafkajs wrapped it. */
function isTooLarge(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    const type = (e as { type?: unknown }).type;
    if (type === 'MESSAGE_TOO_LARGE' || type === 'RECORD_LIST_TOO_LARGE') return true;
    e = e.cause;
  }
  return false;
}
