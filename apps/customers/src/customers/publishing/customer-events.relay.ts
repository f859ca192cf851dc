import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventTopics } from '@finfusion/contracts';
import { EventRelay, EventStore } from '@finfusion/event-store';
import type { KeyedRecord } from '@finfusion/kafka';
import { kafkaRelayOptions } from '@finfusion/runtime';
import { CustomersConfig } from '../../config';
import { CustomerKeys } from '../personal-data/customer-keys';
import { customerRecords } from './public-event';

/** The checkpoint name: one relay at a time advances it, whatever the number of replicas. */
export const CUSTOMERS_RELAY = 'customers-kafka-relay';

/**
 * Publishes the customers event log to `customers.customer.events` (see EventRelay: at least
 * once, in log order). Its lag is the event store's `event_subscription_lag_events` gauge.
 */
@Injectable()
export class CustomerEventsRelay extends EventRelay<KeyedRecord> {
  constructor(
    dataSource: DataSource,
    store: EventStore,
    config: CustomersConfig,
    keys: CustomerKeys,
  ) {
    super({
      name: CUSTOMERS_RELAY,
      topic: EventTopics.customers,
      dataSource,
      store,
      toRecords: customerRecords(keys),
      ...kafkaRelayOptions({ service: 'customers', loggerName: CustomerEventsRelay.name }, config),
    });
  }
}
