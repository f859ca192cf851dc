import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, type Consumer, type KafkaMessage } from 'kafkajs';
import { dlqTopicOf, EventTopics } from '@finfusion/contracts';
import {
  ConsumerReadiness,
  kafkaClientConfig,
  kafkaLogCreator,
  KeyedPublisher,
  type StructuredLogger,
} from '@finfusion/kafka';
import type { CustomerDirectory, CustomerFact } from './customer-directory';

export const CUSTOMER_EVENTS_GROUP = 'payments-customers';

const CUSTOMER_EVENT_TYPES = ['customer.created', 'customer.updated', 'customer.deleted'];

/**
 * Reads what payments needs from a customer event, tolerating fields it does not know (the
 * customers team may add some). Returns a reason when the record is not a customer event.
 */
export function toCustomerFact(value: Buffer | null): CustomerFact | { unreadable: string } {
  let event: unknown;
  try {
    event = JSON.parse(value?.toString('utf8') ?? '');
  } catch {
    return { unreadable: 'the value is not JSON' };
  }
  const e = event as {
    type?: unknown;
    merchant_id?: unknown;
    sequence?: unknown;
    data?: { object?: { id?: unknown } };
  } | null;
  if (typeof e?.type !== 'string' || !CUSTOMER_EVENT_TYPES.includes(e.type)) {
    return { unreadable: 'not a customer event type' };
  }
  const customerId = e.data?.object?.id;
  if (
    typeof customerId !== 'string' ||
    typeof e.merchant_id !== 'string' ||
    !Number.isInteger(e.sequence)
  ) {
    return { unreadable: 'missing data.object.id, merchant_id or sequence' };
  }
  return {
    customerId,
    merchantId: e.merchant_id,
    deleted: e.type === 'customer.deleted',
    sequence: e.sequence as number,
  };
}

export interface CustomerEventsConsumerOptions {
  brokers: string[];
  groupId?: string;
  directory: CustomerDirectory;
  logger: StructuredLogger;
  /** Attempts at storing one record before it is parked on the DLQ. */
  maxAttempts?: number;
  retryDelayMs?: number;
}

/**
 * Feeds the customer directory from customers.customer.events. A record that cannot be read, or
 * that still fails after a few attempts, is parked on the topic's DLQ with the reason, so it
 * never blocks its partition (DESIGN.md, "Kafka").
 */
export class CustomerEventsConsumer {
  readonly readiness = new ConsumerReadiness('kafka-customer-events');
  private readonly consumer: Consumer;
  private readonly dlq: KeyedPublisher;
  private readonly groupId: string;

  constructor(private readonly options: CustomerEventsConsumerOptions) {
    this.groupId = options.groupId ?? CUSTOMER_EVENTS_GROUP;
    const clientId = `payments-${this.groupId}`;
    this.consumer = new Kafka({
      ...kafkaClientConfig({ brokers: options.brokers, clientId }),
      logCreator: kafkaLogCreator(options.logger),
    }).consumer({ groupId: this.groupId, allowAutoTopicCreation: false });
    this.dlq = new KeyedPublisher({ brokers: options.brokers, clientId }, options.logger);
  }

  // Nest calls these on the provider: consume once the app (and its migrations) are up.
  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  async start(): Promise<void> {
    await this.dlq.connect();
    await this.consumer.connect();
    // From the beginning: a new deployment learns every customer the topic still holds.
    await this.consumer.subscribe({ topic: EventTopics.customers, fromBeginning: true });
    this.readiness.watch(this.consumer);
    await this.consumer.run({
      eachMessage: ({ partition, message }) => this.handle(partition, message),
    });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    await this.dlq.disconnect();
  }

  private async handle(partition: number, message: KafkaMessage): Promise<void> {
    const fact = toCustomerFact(message.value);
    if ('unreadable' in fact) {
      await this.park(partition, message, fact.unreadable);
      return;
    }
    const maxAttempts = this.options.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.directory.record(fact);
        return;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (attempt >= maxAttempts) {
          await this.park(partition, message, reason);
          return;
        }
        this.options.logger.warn(
          { customer_id: fact.customerId, attempt, err: { message: reason } },
          'customer event not stored; retrying',
        );
        await sleep((this.options.retryDelayMs ?? 200) * 2 ** (attempt - 1));
      }
    }
  }

  private async park(partition: number, message: KafkaMessage, reason: string): Promise<void> {
    const topic = EventTopics.customers;
    this.options.logger.error(
      { topic, partition, offset: message.offset, reason },
      'customer event parked on the DLQ',
    );
    await this.dlq.publish(dlqTopicOf(topic), [
      {
        key: message.key?.toString('utf8') ?? '',
        value: message.value?.toString('utf8') ?? '',
        headers: {
          'dlq-reason': reason,
          'dlq-consumer-group': this.groupId,
          'dlq-source-topic': topic,
          'dlq-source-partition': String(partition),
          'dlq-source-offset': message.offset,
        },
      },
    ]);
  }
}
