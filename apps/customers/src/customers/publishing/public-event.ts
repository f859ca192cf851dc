import { EventHeaders, type CustomerEvent } from '@finfusion/contracts';
import type { StoredEvent } from '@finfusion/event-store';
import type { KeyedRecord } from '@finfusion/kafka';
import { customerInEvent, isCustomerChangeType, publicTypeOf } from '../domain/customer.events';

/**
 * The public envelope of a stored customer event. The stored event id becomes the public
 * id, so every redelivery of one event carries the same id.
 */
export function toPublicEvent(event: StoredEvent): CustomerEvent {
  // Failing (rather than skipping) keeps the event in the log until a version that knows it runs.
  if (!isCustomerChangeType(event.type)) {
    throw new Error(`the customers log holds an event of unknown type ${event.type}`);
  }
  return {
    id: event.eventId,
    type: publicTypeOf(event.type),
    schema_version: event.schemaVersion,
    created_at: event.recordedAt.toISOString(),
    merchant_id: event.metadata.merchantId,
    data: { object: customerInEvent(event.data) },
    sequence: event.streamVersion,
  };
}

/** The Kafka record: keyed by customer id (one customer's events stay in order), with headers. */
export function toKafkaRecord(event: StoredEvent): KeyedRecord {
  const published = toPublicEvent(event);
  const { correlationId, requestId } = event.metadata;
  return {
    key: event.streamId,
    value: JSON.stringify(published),
    headers: {
      [EventHeaders.type]: published.type,
      [EventHeaders.schemaVersion]: String(published.schema_version),
      [EventHeaders.merchantId]: published.merchant_id,
      ...(correlationId !== undefined && { [EventHeaders.correlationId]: correlationId }),
      ...(requestId !== undefined && { [EventHeaders.requestId]: requestId }),
    },
  };
}
