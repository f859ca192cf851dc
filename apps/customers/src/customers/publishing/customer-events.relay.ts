import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventTopics } from '@finfusion/contracts';
import { EventRelay, EventStore } from '@finfusion/event-store';
import { KeyedPublisher, type KeyedRecord, type StructuredLogger } from '@finfusion/kafka';
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
 * Publishes the customers event log to `customers.customer.events` (see EventRelay: at least
 * once, in log order). Its lag is the event store's `event_subscription_lag_events` gauge.
 */
@Injectable()
export class CustomerEventsRelay
  extends EventRelay<KeyedRecord>
  implements OnApplicationBootstrap, OnModuleDestroy
{
  constructor(dataSource: DataSource, store: EventStore, config: CustomersConfig) {
    const log = structured(new Logger(CustomerEventsRelay.name));
    super({
      name: CUSTOMERS_RELAY,
      topic: EventTopics.customers,
      dataSource,
      store,
      publisher: new KeyedPublisher(
        { brokers: config.KAFKA_BROKERS, clientId: 'customers-relay' },
        log,
      ),
      toRecords: (events) => events.map(toKafkaRecord),
      logger: log,
      batchSize: config.RELAY_BATCH_SIZE,
      pollIntervalMs: config.RELAY_POLL_MS,
      retryDelayMs: config.RELAY_RETRY_MS,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  // Before the data source closes (TypeORM closes it at application shutdown, after this hook).
  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }
}
