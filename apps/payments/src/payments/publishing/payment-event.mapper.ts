import { EventHeaders, type PaymentEvent as PublicPaymentEvent } from '@finfusion/contracts';
import type { StoredEvent } from '@finfusion/event-store';
import type { KeyedRecord } from '@finfusion/kafka';
import { evolve, initialState, isPayment, type PaymentState } from '../domain/payment';
import { occurredAt, toPaymentEvent, type PaymentEventType } from '../domain/payment.events';
import { toPaymentResource } from '../payment.resource';

/** Version of the public envelope's shape, independent of the stored events' schema version. */
export const PUBLIC_SCHEMA_VERSION = 1;

/** The public name of each stored type (the README's event table). */
export function publicTypeOf(type: PaymentEventType): PublicPaymentEvent['type'] {
  switch (type) {
    case 'PaymentCreated':
      return 'payment.created';
    case 'PaymentSucceeded':
      return 'payment.succeeded';
    case 'PaymentFailed':
      return 'payment.failed';
    default: {
      const unhandled: never = type;
      throw new Error(`unknown payment event type ${String(unhandled)}`);
    }
  }
}

/**
 * The public envelopes of a stream, oldest first: each event's `data.object` is the payment folded
 * up to and including it. The stored event id is the public id, stable across redeliveries.
 */
export function toPublicEvents(history: readonly StoredEvent[]): PublicPaymentEvent[] {
  let state: PaymentState = initialState;
  return history.map((stored) => {
    const event = toPaymentEvent(stored.type, stored.schemaVersion, stored.data);
    state = evolve(state, event);
    if (!isPayment(state)) {
      throw new Error(`payment stream ${stored.streamId} does not start with PaymentCreated`);
    }
    return {
      id: stored.eventId,
      type: publicTypeOf(event.type),
      schema_version: PUBLIC_SCHEMA_VERSION,
      created_at: occurredAt(event),
      merchant_id: state.merchantId,
      data: { object: toPaymentResource(state) },
      sequence: stored.streamVersion,
    };
  });
}

/** The Kafka record: keyed by payment id, so one payment's events stay in order, with headers. */
export function toKafkaRecord(event: PublicPaymentEvent, stored: StoredEvent): KeyedRecord {
  const { correlationId, requestId } = stored.metadata;
  return {
    key: stored.streamId,
    value: JSON.stringify(event),
    headers: {
      [EventHeaders.type]: event.type,
      [EventHeaders.schemaVersion]: String(event.schema_version),
      [EventHeaders.merchantId]: event.merchant_id,
      ...(correlationId !== undefined && { [EventHeaders.correlationId]: correlationId }),
      ...(requestId !== undefined && { [EventHeaders.requestId]: requestId }),
    },
  };
}
