import { KafkaHeaders, ServerKafka, type KafkaContext } from '@nestjs/microservices';
import type { Consumer, EachBatchPayload, KafkaMessage, Message, RecordMetadata } from 'kafkajs';
import { fail } from '@finfusion/contracts';
import { endSpanWhen, MessagingAttributes, runInSpan, startKafkaProcess } from '@finfusion/tracing';
import { InFlightLimit } from './in-flight-limit';
import { MicroBatchProducer, type MicroBatchOptions } from './micro-batch-producer';
import { serializeValue } from './serialize-value';
import { OffsetCommitter } from './offset-committer';
import {
  valueBytes,
  type RefusalReason,
  type RequestSigner,
  type Verdict,
} from './request-signature';
import type { KafkaTransportOptions } from './transport-options';

export interface BatchingServerSettings {
  /** Requests handled at once by this replica, across all its partitions. */
  maxInFlight: number;
  commitIntervalMs: number;
  /** Also commit as soon as this many requests were answered since the last commit. */
  commitEveryMessages: number;
  /**
   * A request still without a reply after this long gives back its place and no longer holds
   * commits: a handler that never answers must not stall the replica or its partition.
   */
  abandonAfterMs: number;
  replies: MicroBatchOptions;
  /** Every request must be signed with a key of this signer's ring; others reach no handler. */
  signer: RequestSigner;
  /**
   * The reply topics a refused request is answered on (its sender's own, as the plan names
   * them), so a caller of ours with a wrong key fails at once; a refused request that names
   * another topic gets no answer: its headers are the unknown sender's word.
   */
  refusalReplyTopics: readonly string[];
  /** Told of every refused request (the refusals metric). */
  onRefused?: (topic: string, reason: RefusalReason) => void;
}

/**
 * Nest's Kafka server, batched: it takes request batches, hands each request to its
 * `@MessagePattern` handler at once (up to `maxInFlight` per replica), sends each reply as soon as
 * it is ready in a micro-batched produce, and commits offsets on an interval, only below requests
 * whose replies are out. Nest's stock server handles one message per partition at a time and
 * sends and commits one message per request.
 */
export class BatchingKafkaServer extends ServerKafka {
  private replies: MicroBatchProducer | undefined;
  private committer: OffsetCommitter | undefined;
  private readonly inFlight: InFlightLimit;
  /**
   * Requests whose reply is not sent yet, by topic/partition/offset, oldest delivery first: a
   * rebalance delivers the requests in flight again, so one offset may wait more than once.
   */
  private readonly awaitingReply = new Map<string, (() => void)[]>();
  private closing = false;
  private readonly spanAttributes = {
    [MessagingAttributes.consumerGroup]: this.groupId,
  };

  constructor(
    options: KafkaTransportOptions,
    private readonly settings: BatchingServerSettings,
  ) {
    super(options);
    this.inFlight = new InFlightLimit(settings.maxInFlight);
  }

  override async bindEvents(consumer: Consumer): Promise<void> {
    if (!this.producer) throw new Error('the reply producer is not created');
    this.replies = new MicroBatchProducer(this.producer, this.settings.replies);
    this.committer = new OffsetCommitter(consumer, {
      intervalMs: this.settings.commitIntervalMs,
      everyMessages: this.settings.commitEveryMessages,
      onError: (error) => {
        this.logger.warn(`offset commit failed; retried at the next one: ${describe(error)}`);
      },
    });
    const patterns = [...this.messageHandlers.keys()];
    if (patterns.length > 0) {
      await consumer.subscribe({ ...this.options.subscribe, topics: patterns });
    }
    await consumer.run({
      ...this.options.run,
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.dispatch(payload),
    });
  }

  /**
   * Stops taking requests, lets those in flight reply, commits, then leaves the group: a
   * replacement starts after the last answered request. (kafkajs commits only while running.)
   */
  override async close(): Promise<void> {
    this.closing = true;
    this.consumer?.pause([...this.messageHandlers.keys()].map((topic) => ({ topic })));
    await this.inFlight.drained();
    await this.replies?.drain();
    await this.committer?.stop();
    await super.close();
  }

  /** Starts every request of the batch; waits only when this replica has too many in flight. */
  private async dispatch(payload: EachBatchPayload): Promise<void> {
    const { topic, partition } = payload.batch;
    const stopped = () => this.closing || !payload.isRunning() || payload.isStale();
    for (const message of payload.batch.messages) {
      if (stopped()) return;
      const wait = this.inFlight.acquire();
      if (wait) await wait;
      if (stopped()) {
        this.inFlight.release();
        return;
      }
      const done = this.committer?.begin(topic, partition, message.offset);
      payload.resolveOffset(message.offset);
      void this.handle(topic, partition, message).finally(() => {
        done?.();
        this.inFlight.release();
      });
    }
    await payload.heartbeat();
  }

  /** Resolves once the request's reply was produced (or it needed none). */
  private async handle(topic: string, partition: number, message: KafkaMessage): Promise<void> {
    const key = replyKey(topic, partition, message.offset);
    const verdict = this.settings.signer.verify(topic, message.headers, valueBytes(message.value));
    if (!verdict.accepted) {
      await this.refuse(topic, partition, message, verdict);
      return;
    }
    let awaiting: (() => void) | undefined;
    const replied = hasReplyHeaders(message)
      ? new Promise<void>((resolve) => {
          awaiting = resolve;
          this.awaitingReply.set(key, [...(this.awaitingReply.get(key) ?? []), resolve]);
        })
      : Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    const abandoned = new Promise<'abandoned'>((resolve) => {
      timer = setTimeout(() => {
        resolve('abandoned');
      }, this.settings.abandonAfterMs);
    });
    try {
      // The handler runs in the request's consumer span (none when tracing is off).
      const span = startKafkaProcess({ topic, partition, ...message }, this.spanAttributes);
      const handled = endSpanWhen(
        span,
        runInSpan(span, () =>
          this.handleMessage({
            topic,
            partition,
            message,
            heartbeat: () => Promise.resolve(),
            pause: () => () => undefined,
          }),
        ),
      ).then(() => replied);
      if ((await Promise.race([handled, abandoned])) === 'abandoned') {
        this.forget(key, awaiting);
        this.logger.error(
          `request at ${key} has no reply after ${this.settings.abandonAfterMs} ms`,
        );
      }
    } catch (error) {
      this.forget(key, awaiting);
      this.logger.error(`request at ${key} could not be handled: ${describe(error)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Logs and counts a request whose signature does not hold (never its value, headers or
   * signature), and answers it with an error when it names one of our reply topics.
   */
  private async refuse(
    topic: string,
    partition: number,
    message: KafkaMessage,
    verdict: Verdict & { accepted: false },
  ): Promise<void> {
    this.logger.warn({
      msg: 'request refused: its signature does not hold',
      topic,
      partition,
      offset: message.offset,
      reason: verdict.reason,
      ...(verdict.keyId !== undefined && { key_id: verdict.keyId }),
    });
    this.settings.onRefused?.(topic, verdict.reason);
    const correlationId = headerText(message, KafkaHeaders.CORRELATION_ID);
    const replyTopic = headerText(message, KafkaHeaders.REPLY_TOPIC);
    const replyPartition = headerText(message, KafkaHeaders.REPLY_PARTITION);
    if (
      correlationId === undefined ||
      replyTopic === undefined ||
      !this.settings.refusalReplyTopics.includes(replyTopic) ||
      (replyPartition !== undefined && !/^\d{1,5}$/.test(replyPartition))
    ) {
      return;
    }
    try {
      const outgoing = await this.outgoing(
        { id: correlationId, response: requestRefused(), isDisposed: true },
        replyPartition,
        correlationId,
      );
      await this.replies?.send(replyTopic, outgoing);
    } catch (error) {
      this.logger.error(
        `refusal of the request at ${topic}/${partition}/${message.offset} could not be sent: ${describe(error)}`,
      );
    }
  }

  /**
   * Queues the reply for the next micro-batch. A reply that cannot go out (too large for the
   * reply topic, say, or not serializable) becomes an error reply to that request alone; nothing
   * is thrown.
   */
  override async sendMessage(
    ...[message, replyTopic, replyPartition, correlationId, context]: Parameters<
      ServerKafka['sendMessage']
    >
  ): Promise<RecordMetadata[]> {
    const replies = this.replies;
    if (!replies) throw new Error('the server is not bound');
    try {
      await replies.send(replyTopic, await this.outgoing(message, replyPartition, correlationId));
    } catch (error) {
      this.logger.error(`reply to ${replyTopic} could not be sent: ${describe(error)}`);
      const fallback = await this.outgoing(
        { id: message.id, response: replyNotSent(), isDisposed: true },
        replyPartition,
        correlationId,
      );
      await replies.send(replyTopic, fallback).catch((fallbackError: unknown) => {
        this.logger.error(`error reply to ${replyTopic} failed too: ${describe(fallbackError)}`);
      });
    } finally {
      // Nest leaves the end hook unset unless an instrumentation sets one.
      (this.onProcessingEndHook as ServerKafka['onProcessingEndHook'] | undefined)?.(
        this.transportId,
        context,
      );
      this.settle(context);
    }
    return [];
  }

  private async outgoing(
    message: Parameters<ServerKafka['sendMessage']>[0],
    replyPartition: string | null | undefined,
    correlationId: string,
  ): Promise<Message> {
    const outgoing = await serializeValue(this.serializer, message.response);
    this.assignReplyPartition(replyPartition, outgoing);
    this.assignCorrelationIdHeader(correlationId, outgoing);
    this.assignErrorHeader(message, outgoing);
    this.assignIsDisposedHeader(message, outgoing);
    return outgoing;
  }

  /** The first reply of a request frees its offset for commit. */
  private settle(context: KafkaContext): void {
    const key = replyKey(context.getTopic(), context.getPartition(), context.getMessage().offset);
    const resolve = this.awaitingReply.get(key)?.[0];
    this.forget(key, resolve);
    resolve?.();
  }

  /** Stops waiting for one delivery's reply. */
  private forget(key: string, awaiting: (() => void) | undefined): void {
    const rest = (this.awaitingReply.get(key) ?? []).filter((resolve) => resolve !== awaiting);
    if (rest.length > 0) this.awaitingReply.set(key, rest);
    else this.awaitingReply.delete(key);
  }
}

const replyKey = (topic: string, partition: number, offset: string): string =>
  `${topic}/${partition}/${offset}`;

const hasReplyHeaders = (message: KafkaMessage): boolean =>
  message.headers?.[KafkaHeaders.CORRELATION_ID] !== undefined &&
  message.headers[KafkaHeaders.REPLY_TOPIC] !== undefined;

const headerText = (message: KafkaMessage, name: string): string | undefined => {
  const value = message.headers?.[name];
  return value === undefined || Array.isArray(value) ? undefined : value.toString();
};

/** The same answer whatever the reason: the sender learns nothing of the service's keys. */
const requestRefused = () =>
  fail(500, {
    type: 'api_error',
    code: 'internal_error',
    message: 'An internal error occurred. Retry with the same Idempotency-Key.',
  });

const replyNotSent = () =>
  fail(500, {
    type: 'api_error',
    code: 'internal_error',
    message: 'The response could not be delivered. Retry with the same Idempotency-Key.',
  });

const describe = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
