import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { EventTopics } from '@finfusion/contracts';
import { eventRecord, EventRelay, EventStore, type StoredEvent } from '@finfusion/event-store';
import type { KeyedRecord } from '@finfusion/kafka';
import { kafkaRelayOptions } from '@finfusion/runtime';
import { PaymentsConfig } from '../../config';
import { toPublicEvents } from './payment-event.mapper';

/** The checkpoint name: one relay at a time advances it, whatever the number of replicas. */
export const PAYMENTS_RELAY = 'payments-kafka-relay';

/**
 * The records of a batch of the log's payment events. data.object is the payment after each
 * event, so each stream of the batch is folded from its start.
 */
@Injectable()
export class PaymentEventRecords {
  constructor(private readonly store: EventStore) {}

  async of(events: StoredEvent[], manager: EntityManager): Promise<KeyedRecord[]> {
    const envelopes = new Map<string, ReturnType<typeof toPublicEvents>[number]>();
    const streamIds = [...new Set(events.map((e) => e.streamId))];
    for (const history of (await this.store.readStreams(manager, streamIds)).values()) {
      for (const [i, envelope] of toPublicEvents(history).entries()) {
        const stored = history[i];
        if (stored) envelopes.set(stored.eventId, envelope);
      }
    }
    return events.map((stored) => {
      const envelope = envelopes.get(stored.eventId);
      if (!envelope) throw new Error(`event ${stored.eventId} is missing from its stream`);
      return eventRecord(envelope, stored);
    });
  }
}

/**
 * Publishes the payments event log to `payments.payment.events` (see EventRelay: at least once,
 * in log order, so in stream order per payment). Lag: the
 * `event_subscription_lag_events{subscription="payments-kafka-relay"}` gauge on /metrics.
 */
@Injectable()
export class PaymentEventsRelay extends EventRelay<KeyedRecord> {
  constructor(
    dataSource: DataSource,
    store: EventStore,
    config: PaymentsConfig,
    records: PaymentEventRecords,
  ) {
    super({
      name: PAYMENTS_RELAY,
      topic: EventTopics.payments,
      dataSource,
      store,
      toRecords: (events, manager) => records.of(events, manager),
      ...kafkaRelayOptions({ service: 'payments', loggerName: PaymentEventsRelay.name }, config),
    });
  }
}
