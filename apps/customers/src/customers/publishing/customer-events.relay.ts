import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventTopics } from '@finfusion/contracts';
import { EventStore, LogSubscription, type StoredEvent } from '@finfusion/event-store';
import { KeyedPublisher, type StructuredLogger } from '@finfusion/kafka';
import { CustomersConfig } from '../../config';
import { toKafkaRecord } from './public-event';

/** The checkpoint name: one relay at a time advances it, whatever the number of replicas. */
export const CUSTOMERS_RELAY = 'customers-kafka-relay';

const structured = (logger: Logger): StructuredLogger => ({
  error: (obj, msg) => {
    logger.error(obj, msg);
  },
  warn: (obj, msg) => {
    logger.warn(obj, msg);
  },
  info: (obj, msg) => {
    logger.log(obj, msg);
  },
  debug: (obj, msg) => {
    logger.debug(obj, msg);
  },
});

/**
 * Publishes the customers event log to `customers.customer.events`, at least once, in log order.
 * It reads only committed events; the checkpoint advances in the transaction that follows a
 * successful send, so a crash in between republishes that batch (same event ids) rather than
 * losing it. Its lag is the event store's `event_subscription_lag_events` gauge.
 */
@Injectable()
export class CustomerEventsRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CustomerEventsRelay.name);
  private readonly publisher: KeyedPublisher;
  private readonly subscription: LogSubscription;

  constructor(dataSource: DataSource, store: EventStore, config: CustomersConfig) {
    const log = structured(this.logger);
    this.publisher = new KeyedPublisher(
      { brokers: config.KAFKA_BROKERS, clientId: 'customers-relay' },
      log,
    );
    this.subscription = new LogSubscription({
      name: CUSTOMERS_RELAY,
      dataSource,
      store,
      logger: log,
      batchSize: config.RELAY_BATCH_SIZE,
      pollIntervalMs: config.RELAY_POLL_MS,
      retryDelayMs: config.RELAY_RETRY_MS,
      handle: (events) => this.publish(events),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  // Before the data source closes (TypeORM closes it at application shutdown, after this hook).
  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  async start(): Promise<void> {
    await this.publisher.connect();
    this.subscription.start();
  }

  async stop(): Promise<void> {
    await this.subscription.stop();
    await this.publisher.disconnect();
  }

  /** Committed events not yet published. */
  lag(): Promise<number> {
    return this.subscription.lag();
  }

  private async publish(events: StoredEvent[]): Promise<void> {
    await this.publisher.publish(EventTopics.customers, events.map(toKafkaRecord));
    this.logger.debug(
      { published: events.length, last_position: events.at(-1)?.globalPosition },
      'customer events published',
    );
  }
}
