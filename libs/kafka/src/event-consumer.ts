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
   * When it fails, the batch's records go through `handle` one by one, so a bad record is parked
   * alone and the others still get in.
   */
  handleBatch?: (records: ConsumedRecord[]) => Promise<void>;
  logger: StructuredLogger;
  /** Attempts before a record is parked on `<topic>.dlq`. */
  maxAttempts?: number;
  retryDelayMs?: number;
  concurrency?: number;
}

export const DeadLetterHeaders = {
  error: 'dlq-error',
  topic: 'dlq-original-topic',
  partition: 'dlq-original-partition',
  offset: 'dlq-original-offset',
  attempts: 'dlq-attempts',
  failedAt: 'dlq-failed-at',
} as const;

/**
 * Consumes event topics with bounded retries. A record that keeps failing is parked on its
 * dead-letter topic with the error, so it never blocks its partition and can be replayed.
 */
export class EventConsumer {
  readonly readiness: ConsumerReadiness;
  private readonly consumer: Consumer;
  private readonly producer: Producer;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;

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
    this.readiness = new ConsumerReadiness(options.groupId).watch(this.consumer);
  }

  async start(): Promise<void> {
    await this.producer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.options.topics, fromBeginning: true });
    const { handleBatch } = this.options;
    await this.consumer.run({
      partitionsConsumedConcurrently: this.options.concurrency ?? 3,
      ...(handleBatch
        ? {
            // Offsets are committed once per batch (kafkajs' autoCommit after each batch).
            eachBatch: async (payload) => {
              const { topic, partition, messages } = payload.batch;
              const records = messages.map((m) => toRecord(topic, partition, m));
              await this.processBatch(records, handleBatch, () => payload.heartbeat());
            },
          }
        : {
            eachMessage: async (payload) => {
              const { topic, partition, message } = payload;
              await this.process(toRecord(topic, partition, message), () => payload.heartbeat());
            },
          }),
    });
  }

  private async processBatch(
    records: ConsumedRecord[],
    handleBatch: (records: ConsumedRecord[]) => Promise<void>,
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    if (records.length === 0) return;
    try {
      await handleBatch(records);
      return;
    } catch (error) {
      this.options.logger.warn(
        { topic: records[0]?.topic, records: records.length, err: describe(error) },
        'batch handling failed; handling its records one by one',
      );
    }
    for (const record of records) await this.process(record, heartbeat);
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    await this.producer.disconnect();
  }

  private async process(record: ConsumedRecord, heartbeat: () => Promise<void>): Promise<void> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      try {
        await this.options.handle(record);
        return;
      } catch (error) {
        lastError = error;
        this.options.logger.warn(
          { topic: record.topic, offset: record.offset, attempt, err: describe(error) },
          'event handling failed',
        );
        await heartbeat();
        if (attempt < this.maxAttempts) await sleep(this.retryDelayMs * 2 ** (attempt - 1));
      }
    }
    await this.park(record, lastError);
  }

  private async park(record: ConsumedRecord, error: unknown): Promise<void> {
    const headers: IHeaders = {
      ...record.headers,
      [DeadLetterHeaders.error]: describe(error).message,
      [DeadLetterHeaders.topic]: record.topic,
      [DeadLetterHeaders.partition]: String(record.partition),
      [DeadLetterHeaders.offset]: record.offset,
      [DeadLetterHeaders.attempts]: String(this.maxAttempts),
      [DeadLetterHeaders.failedAt]: new Date().toISOString(),
    };
    await this.producer.send({
      topic: dlqTopicOf(record.topic),
      acks: -1,
      messages: [{ key: record.key, value: record.value, headers }],
    });
    this.options.logger.error(
      { topic: record.topic, offset: record.offset, dlq: dlqTopicOf(record.topic) },
      'event parked on the dead-letter topic',
    );
  }
}

const toRecord = (topic: string, partition: number, message: KafkaMessage): ConsumedRecord => ({
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
