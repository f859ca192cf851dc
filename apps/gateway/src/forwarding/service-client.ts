import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { EmptyError, firstValueFrom, throwError, timeout } from 'rxjs';
import {
  allRequestTopics,
  REPLY_TOPIC,
  type ReplyOf,
  type RequestMeta,
  type RequestOf,
  type RequestTopic,
  type ServiceRequest,
} from '@finfusion/contracts';
import { ConsumerReadiness, type BatchingKafkaClient } from '@finfusion/kafka';
import { Readiness, requestReplyClient } from '@finfusion/runtime';
import { GatewayConfig } from '../config';
import { ApiError } from '../errors/api-error';
import { isServiceReply } from './service-reply';

/**
 * The gateway's one Kafka client: requests out on the services' request topics, replies in on
 * this replica's partitions of every reply topic. Every call ends within REQUEST_TIMEOUT_MS.
 */
@Injectable()
export class ServiceClient implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Forwarding');
  private readonly client: BatchingKafkaClient;
  private readonly replies = new ConsumerReadiness('gateway-replies');
  private producerConnected = false;

  constructor(
    private readonly config: GatewayConfig,
    private readonly readiness: Readiness,
  ) {
    this.client = requestReplyClient(config, {
      clientId: 'gateway',
      groupId: 'gateway',
      replyTopic: REPLY_TOPIC,
    });
    // Subscribed before connecting: payments and webhooks routes come later, their replies now.
    for (const topic of allRequestTopics()) this.client.subscribeToResponseOf(topic);
  }

  async onModuleInit(): Promise<void> {
    await this.client.connect();
    const { producer, consumer } = this.client;
    this.producerConnected = true;
    producer.on(producer.events.CONNECT, () => (this.producerConnected = true));
    producer.on(producer.events.DISCONNECT, () => (this.producerConnected = false));
    this.replies.watch(consumer, this.repliesAssigned());
    this.readiness.register({
      name: 'kafka-replies',
      check: () => this.replies.check().ok && this.repliesAssigned(),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }

  /**
   * Sends one request and waits for its reply: the success body, or the service's error as an
   * ApiError; 503 when the request cannot be sent, 504 when no reply comes in time.
   */
  async send<T extends RequestTopic>(
    topic: T,
    meta: RequestMeta,
    payload: RequestOf<T>,
    key: string,
  ): Promise<ReplyOf<T>> {
    if (!this.producerConnected) throw ApiError.of('service_unavailable');
    const timeoutMs = this.config.REQUEST_TIMEOUT_MS;
    const request: ServiceRequest<RequestOf<T>> = {
      meta: { ...meta, deadline: Date.now() + timeoutMs },
      payload,
    };
    let reply: unknown;
    try {
      reply = await firstValueFrom(
        this.client.send<unknown>(topic, { key, value: request }).pipe(
          timeout({
            first: timeoutMs,
            with: () => throwError(() => ApiError.of('service_timeout')),
          }),
        ),
      );
    } catch (error) {
      if (error instanceof ApiError) {
        this.logger.warn({ msg: 'service did not answer in time', topic, timeout_ms: timeoutMs });
        throw error;
      }
      // Kafka's errors are Errors; a service that failed without a reply sends a plain value.
      if (error instanceof Error && !(error instanceof EmptyError)) {
        this.logger.warn({ msg: 'request could not be sent', topic, err: error.message });
        throw ApiError.of('service_unavailable');
      }
      this.logger.error({ msg: 'service failed without a reply', topic, err: error });
      throw ApiError.of('service_error');
    }
    if (!isServiceReply<ReplyOf<T>>(reply)) {
      this.logger.error({ msg: 'service replied outside the contract', topic });
      throw ApiError.of('service_error');
    }
    if (!reply.ok) throw ApiError.fromService(reply.status, reply.error);
    return reply.body;
  }

  private repliesAssigned(): boolean {
    const assigned = this.client.getConsumerAssignments();
    return REPLY_TOPIC in assigned;
  }
}
