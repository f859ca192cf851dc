import {
  ClientKafka,
  KafkaHeaders,
  type ReadPacket,
  type WritePacket,
} from '@nestjs/microservices';
import type { EachBatchPayload } from 'kafkajs';
import { startKafkaSend } from '@finfusion/tracing';
import { serializeValue } from './serialize-value';
import { MicroBatchProducer, type MicroBatchOptions } from './micro-batch-producer';
import { OffsetCommitter } from './offset-committer';
import { valueBytes, type RequestSigner } from './request-signature';
import type { KafkaTransportOptions } from './transport-options';

export interface BatchingClientSettings {
  requests: MicroBatchOptions;
  commitIntervalMs: number;
  /** Signs every request, so the services know it comes from a holder of the shared key. */
  signer: RequestSigner;
  /** One topic for every reply (and so one small fetch); Nest's default is one per pattern. */
  replyTopic?: string;
}

/**
 * Nest's Kafka client proxy, batched: requests sent within one linger go out as one produce
 * request, and replies are read in batches with offsets committed on an interval. Everything else
 * (correlation ids, this replica's reply partitions, `send()` observables) is Nest's own.
 */
export class BatchingKafkaClient extends ClientKafka {
  private requests: MicroBatchProducer | undefined;
  private committer: OffsetCommitter | undefined;

  constructor(
    options: KafkaTransportOptions,
    private readonly settings: BatchingClientSettings,
  ) {
    super(options);
  }

  override async bindTopics(): Promise<void> {
    const consumer = this._consumer;
    if (!consumer) throw new Error('the reply consumer is not created');
    this.committer = new OffsetCommitter(consumer, {
      intervalMs: this.settings.commitIntervalMs,
      everyMessages: Number.POSITIVE_INFINITY,
      onError: (error) => {
        this.logger.warn(`reply offset commit failed: ${describe(error)}`);
      },
    });
    if (this.responsePatterns.length > 0) {
      const topics = [...new Set(this.responsePatterns)];
      await consumer.subscribe({ ...this.options.subscribe, topics });
    }
    const onReply = this.createResponseCallback();
    await consumer.run({
      ...this.options.run,
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async (payload: EachBatchPayload) => {
        const { batch } = payload;
        const { topic, partition } = batch;
        for (const message of batch.messages) {
          const done = this.committer?.begin(topic, partition, message.offset);
          try {
            await onReply({
              topic,
              partition,
              message,
              heartbeat: () => payload.heartbeat(),
              pause: () => () => undefined,
            });
          } catch (error) {
            this.logger.error(
              `reply at ${topic}/${partition}/${message.offset}: ${describe(error)}`,
            );
          }
          payload.resolveOffset(message.offset);
          done?.();
        }
        await payload.heartbeat();
      },
    });
  }

  override async close(): Promise<void> {
    await this.requests?.drain();
    await this.committer?.stop();
    await super.close();
    // A later connect() brings a new producer: requests must not go out on the closed one.
    this.requests = undefined;
  }

  protected override getResponsePatternName(pattern: string): string {
    return this.settings.replyTopic ?? super.getResponsePatternName(pattern);
  }

  protected override publish(
    partialPacket: ReadPacket<unknown>,
    callback: (packet: WritePacket) => unknown,
  ): () => void {
    const packet = this.assignPacketId(partialPacket);
    this.routingMap.set(packet.id, callback);
    const cleanup = () => this.routingMap.delete(packet.id);
    const failed = (err: unknown) => {
      cleanup();
      callback({ err });
    };
    try {
      const topic = this.normalizePattern(partialPacket.pattern as string);
      const replyTopic = this.getResponsePatternName(topic);
      const replyPartition = this.getReplyTopicPartition(replyTopic);
      this.requests ??= new MicroBatchProducer(this.producer, this.settings.requests);
      const requests = this.requests;
      const { signer } = this.settings;
      // Started here, in the caller's context (the gateway's request span); undefined untraced.
      const sending = startKafkaSend(topic);
      serializeValue(this.serializer, packet.data, { pattern: topic })
        .then((serialized) => {
          const { headers } = serialized;
          headers[KafkaHeaders.CORRELATION_ID] = packet.id;
          headers[KafkaHeaders.REPLY_TOPIC] = replyTopic;
          headers[KafkaHeaders.REPLY_PARTITION] = replyPartition;
          sending?.inject(headers);
          // Signed over the bytes that go out, so the service checks them without serializing.
          const value = valueBytes(serialized.value);
          Object.assign(headers, signer.sign(topic, headers, value));
          return requests.send(topic, { ...serialized, value });
        })
        .then(
          () => sending?.end(),
          (error: unknown) => {
            sending?.end(error);
            failed(error);
          },
        );
      return cleanup;
    } catch (error) {
      failed(error);
      return () => undefined;
    }
  }
}

const describe = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
