import { EventTopics } from '@finfusion/contracts';
import {
  EventConsumer,
  type ConsumedRecord,
  type KafkaConnection,
  type StructuredLogger,
} from '@finfusion/kafka';
import type { CustomerDirectory, CustomerFact } from './customer-directory';

const CUSTOMER_EVENT_TYPES = ['customer.created', 'customer.updated', 'customer.deleted'];

/**
 * Reads what payments needs from a customer event, tolerating fields it does not know (the
 * customers team may add some). Returns a reason when the record is not a customer event.
 */
export function toCustomerFact(value: string | null): CustomerFact | { unreadable: string } {
  let event: unknown;
  try {
    event = JSON.parse(value ?? '');
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
    typeof e.sequence !== 'number' ||
    !Number.isInteger(e.sequence)
  ) {
    return { unreadable: 'missing data.object.id, merchant_id or sequence' };
  }
  return {
    customerId,
    merchantId: e.merchant_id,
    deleted: e.type === 'customer.deleted',
    sequence: e.sequence,
  };
}

export interface CustomerEventsConsumerOptions {
  kafka: KafkaConnection;
  groupId: string;
  directory: CustomerDirectory;
  logger: StructuredLogger;
  maxAttempts?: number;
  retryDelayMs?: number;
}

/**
 * Feeds the customer directory from customers.customer.events. A record that cannot be read or
 * stored is retried a few times, then parked on the topic's DLQ by the shared EventConsumer, so
 * it never blocks its partition (see Faults in docs/operations.md).
 */
export class CustomerEventsConsumer {
  private readonly consumer: EventConsumer;

  constructor(private readonly options: CustomerEventsConsumerOptions) {
    this.consumer = new EventConsumer({
      ...options.kafka,
      clientId: 'payments-customer-directory',
      groupId: options.groupId,
      topics: [EventTopics.customers],
      logger: options.logger,
      handle: (record) => this.handle(record),
      handleBatch: (records) => this.handleBatch(records),
      ...(options.maxAttempts !== undefined && { maxAttempts: options.maxAttempts }),
      ...(options.retryDelayMs !== undefined && { retryDelayMs: options.retryDelayMs }),
    });
  }

  get readiness(): EventConsumer['readiness'] {
    return this.consumer.readiness;
  }

  // Nest calls these on the provider: consume once the app (and its migrations) are up.
  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  private async handleBatch(records: ConsumedRecord[]): Promise<void> {
    const facts = records.map((record) => {
      const fact = toCustomerFact(record.value);
      if ('unreadable' in fact) throw new Error(`unreadable customer event: ${fact.unreadable}`);
      return fact;
    });
    await this.options.directory.recordAll(facts);
  }

  private async handle(record: ConsumedRecord): Promise<void> {
    const fact = toCustomerFact(record.value);
    if ('unreadable' in fact) throw new Error(`unreadable customer event: ${fact.unreadable}`);
    await this.options.directory.record(fact);
  }
}
