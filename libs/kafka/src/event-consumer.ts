import {
  Kafka,
  Partitioners,
  type Consumer,
  type IHeaders,
  type KafkaMessage,
  type Producer,
} from 'kafkajs';
import { dlqTopicOf } from '@finfusion/contracts';
import { ConsumerReadiness } from './consumer-readiness';
import { kafkaLogCreator, type StructuredLogger } from './kafka-logger';
import { kafkaClientConfig, type KafkaSettings } from './kafka-options';
import { isTransientFailure } from './transient-failure';

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

export interface EventConsumerOptions extends KafkaSettings {
  groupId: string;
  topics: string[];
  /** Must be idempotent: delivery is at least once. */
  handle: (record: ConsumedRecord) => Promise<void>;
  /**
   * Takes a whole fetched batch at once (one transaction for many records, say); idempotent too.
   * When it fails for a record's sake, the batch's records go through `handle` one by one, so a
   * bad record is parked alone and the others still get in.
   */
  handleBatch?: (records: ConsumedRecord[]) => Promise<void>;
  logger: StructuredLogger;
  /** Attempts before a record that fails for its own sake is parked on `<topic>.dlq`. */
  maxAttempts?: number;
  /** First back-off; it doubles after each failure in a row. */
  retryDelayMs?: number;
  /** The longest back-off of a partition paused by a transient failure. */
  maxRetryDelayMs?: number;
  concurrency?: number;
  /** Which failures are transient; default `isTransientFailure`. */
  isTransient?: (error: unknown) => boolean;
}

export const DeadLetterHeaders = {
  error: 'dlq-error',
  topic: 'dlq-original-topic',
  partition: 'dlq-original-partition',
  offset: 'dlq-original-offset',
  attempts: 'dlq-attempts',
  failedAt: 'dlq-failed-at',
  /** The consumer group that parked the record: the one a replay is for. */
  group: 'dlq-consumer-group',
  /** On a replayed record: the only consumer group that handles it (see `npm run dlq`). */
  replayGroup: 'dlq-replay-group',
} as const;

const DEAD_LETTER_PREFIX = 'dlq-';
const MAX_ERROR_CHARS = 500;

/**
 * Consumes event topics. A failure is either transient (the database or broker unavailable,
 * a deadlock: see `isTransientFailure`) or the record's own:
 * - transient: the partition is paused and the record tried again after a back-off that doubles
 *   up to `maxRetryDelayMs`, for as long as the failure lasts. Nothing is parked and no offset is
 *   committed past the record; the other partitions go on, and heartbeats continue (the wait
 *   happens outside kafkajs' handler).
 * - its own (unreadable, invalid, refused by the handler): tried `maxAttempts` times, then parked
 *   on its dead-letter topic with the error and the consumer group, so it never blocks its
 *   partition; `npm run dlq` lists and replays parked records.
 * A record replayed for another consumer group is passed over.
 */
export class EventConsumer {
  readonly readiness: ConsumerReadiness;
  private readonly consumer: Consumer;
  private readonly producer: Producer;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly isTransient: (error: unknown) => boolean;
  /** Transient failures in a row, per paused topic-partition. */
  private readonly failures = new Map<string, number>();
  private readonly resumeTimers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: EventConsumerOptions) {
    const kafka = new Kafka({
      ...kafkaClientConfig(options),
      logCreator: kafkaLogCreator(options.logger),
    });
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      // Bounds how long a disconnect waits for an idle fetch, so shutdown takes about a second.
      maxWaitTimeInMs: 1_000,
    });
    this.producer = kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryDelayMs = options.retryDelayMs ?? 200;
    this.maxRetryDelayMs = Math.max(options.maxRetryDelayMs ?? 30_000, this.retryDelayMs);
    this.isTransient = options.isTransient ?? isTransientFailure;
    this.readiness = new ConsumerReadiness(options.groupId).watch(this.consumer);
  }

  async start(): Promise<void> {
    await this.producer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.options.topics, fromBeginning: true });
    await this.consumer.run({
      partitionsConsumedConcurrently: this.options.concurrency ?? 3,
      // Offsets are resolved record by record below, never past one still to be handled; the
      // resolved ones are committed after each batch (kafkajs' autoCommit).
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { topic, partition, messages } = payload.batch;
        await this.processBatch(
          messages.map((m) => toRecord(topic, partition, m)),
          (offset) => {
            payload.resolveOffset(offset);
          },
          () => payload.heartbeat(),
          () => payload.isRunning(),
        );
      },
    });
  }

  async stop(): Promise<void> {
    for (const timer of this.resumeTimers) clearTimeout(timer);
    this.resumeTimers.clear();
    await this.consumer.disconnect();
    await this.producer.disconnect();
  }

  private async processBatch(
    records: ConsumedRecord[],
    resolveOffset: (offset: string) => void,
    heartbeat: () => Promise<void>,
    isRunning: () => boolean,
  ): Promise<void> {
    const [first] = records;
    const last = records.at(-1);
    if (!first || !last) return;
    const { handleBatch, groupId } = this.options;
    const own = records.filter((record) => isForGroup(record, groupId));
    if (handleBatch && own.length > 0) {
      try {
        await handleBatch(own);
        resolveOffset(last.offset);
        this.recovered(first);
        return;
      } catch (error) {
        if (this.isTransient(error)) {
          this.backOff(first, error);
          return;
        }
        this.options.logger.warn(
          { topic: first.topic, records: own.length, err: describe(error) },
          'batch handling failed; handling its records one by one',
        );
      }
    }
    for (const record of records) {
      if (!isRunning()) return;
      if (isForGroup(record, groupId)) {
        const transient = await this.process(record, heartbeat);
        if (transient !== undefined) {
          this.backOff(record, transient.error);
          return;
        }
      }
      resolveOffset(record.offset);
    }
    this.recovered(first);
  }

  /** Handles one record, parking it after its attempts; a transient failure is returned. */
  private async process(
    record: ConsumedRecord,
    heartbeat: () => Promise<void>,
  ): Promise<{ error: unknown } | undefined> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      try {
        await this.options.handle(record);
        return undefined;
      } catch (error) {
        if (this.isTransient(error)) return { error };
        lastError = error;
        this.options.logger.warn(
          { topic: record.topic, offset: record.offset, attempt, err: describe(error) },
          'event handling failed',
        );
        await heartbeat();
        if (attempt < this.maxAttempts) await sleep(this.retryDelayMs * 2 ** (attempt - 1));
      }
    }
    try {
      await this.park(record, lastError);
      return undefined;
    } catch (error) {
      // The record is not lost: it stays unhandled and is tried again after a back-off.
      return { error };
    }
  }

  /**
   * Pauses the record's partition and resumes it after a back-off; since its offset was not
   * resolved, the next fetch starts again at this record.
   */
  private backOff(record: ConsumedRecord, error: unknown): void {
    const key = `${record.topic}:${record.partition}`;
    const failures = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, failures);
    const ceiling = Math.min(this.retryDelayMs * 2 ** (failures - 1), this.maxRetryDelayMs);
    const delay = Math.round(ceiling * (0.8 + Math.random() * 0.2));
    const { logger } = this.options;
    const fields = {
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      group: this.options.groupId,
      failures,
      retry_in_ms: delay,
      err: describe(error),
    };
    const msg = 'transient failure: partition paused, the record is tried again after a back-off';
    if (failures >= 5) logger.error(fields, msg);
    else logger.warn(fields, msg);
    const partition = [{ topic: record.topic, partitions: [record.partition] }];
    this.consumer.pause(partition);
    const timer = setTimeout(() => {
      this.resumeTimers.delete(timer);
      this.consumer.resume(partition);
    }, delay);
    this.resumeTimers.add(timer);
  }

  private recovered(record: ConsumedRecord): void {
    const key = `${record.topic}:${record.partition}`;
    if (!this.failures.has(key)) return;
    this.failures.delete(key);
    this.options.logger.info(
      { topic: record.topic, partition: record.partition, group: this.options.groupId },
      'partition recovered from a transient failure',
    );
  }

  private async park(record: ConsumedRecord, error: unknown): Promise<void> {
    const kept = Object.entries(record.headers).filter(
      ([name]) => !name.startsWith(DEAD_LETTER_PREFIX),
    );
    const headers: IHeaders = {
      ...Object.fromEntries(kept),
      [DeadLetterHeaders.error]: redact(describe(error).message),
      [DeadLetterHeaders.topic]: record.topic,
      [DeadLetterHeaders.partition]: String(record.partition),
      [DeadLetterHeaders.offset]: record.offset,
      [DeadLetterHeaders.attempts]: String(this.maxAttempts),
      [DeadLetterHeaders.failedAt]: new Date().toISOString(),
      [DeadLetterHeaders.group]: this.options.groupId,
    };
    await this.producer.send({
      topic: dlqTopicOf(record.topic),
      acks: -1,
      messages: [{ key: record.key, value: record.value, headers }],
    });
    this.options.logger.error(
      {
        topic: record.topic,
        offset: record.offset,
        group: this.options.groupId,
        dlq: dlqTopicOf(record.topic),
      },
      'event parked on the dead-letter topic',
    );
  }
}

/** A replayed record is for the group that parked it only. */
const isForGroup = (record: ConsumedRecord, groupId: string): boolean => {
  const replayFor = record.headers[DeadLetterHeaders.replayGroup];
  return replayFor === undefined || replayFor === groupId;
};

/**
 * An error message as it may be kept beside a parked record: bounded, and with anything shaped
 * like a card number masked (a parser's message can quote the input).
 */
export const redact = (message: string): string =>
  message.replace(/\d(?:[ -]?\d){12,18}/g, '[redacted]').slice(0, MAX_ERROR_CHARS);

/** A consumed message as handlers see it: text key, value and headers. */
export const toRecord = (
  topic: string,
  partition: number,
  message: KafkaMessage,
): ConsumedRecord => ({
  topic,
  partition,
  offset: message.offset,
  key: message.key?.toString() ?? null,
  value: message.value?.toString() ?? null,
  headers: Object.fromEntries(
    Object.entries(message.headers ?? {}).flatMap(([name, value]) =>
      value === undefined
        ? []
        : [[name, Array.isArray(value) ? value.join(',') : value.toString()]],
    ),
  ),
});

const describe = (error: unknown): { message: string } =>
  error instanceof Error ? { message: error.message } : { message: String(error) };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
