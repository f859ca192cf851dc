import type { Customer } from './customers';

/** Public event types: Kafka event topics and webhook bodies use these names. */
export const PublicEventTypes = [
  'payment.created',
  'payment.succeeded',
  'payment.failed',
  'customer.created',
  'customer.updated',
  'customer.deleted',
] as const;

export type PublicEventType = (typeof PublicEventTypes)[number];

/**
 * The version of each event type's public shape: the `schema_version` of its envelopes and of
 * its JSON Schema (`schemas/`). Independent of how a service stores the event: a new stored
 * version that publishes the same shape keeps it; a breaking change of the shape raises it.
 */
export const PublicSchemaVersions: Readonly<Record<PublicEventType, number>> = {
  'payment.created': 1,
  'payment.succeeded': 1,
  'payment.failed': 1,
  'customer.created': 1,
  'customer.updated': 1,
  'customer.deleted': 1,
};

/**
 * The public envelope: the same JSON on Kafka and in a webhook body.
 * - `id`: the stored event's id, the same on every redelivery (consumers deduplicate on it).
 * - `type`: the public event type.
 * - `schema_version`: the version of that type's public shape (`PublicSchemaVersions`).
 * - `created_at`: when the event happened, as the service's clock said when it decided it; not
 *   when it was written, published or delivered.
 * - `merchant_id`: the merchant whose resource changed.
 * - `data.object`: the resource as GET returns it just after this event.
 * - `sequence`: the resource's stream version after this event: 1, 2, 3… per resource id.
 */
export interface PublicEvent<T = unknown, K extends PublicEventType = PublicEventType> {
  id: string;
  type: K;
  schema_version: number;
  created_at: string;
  merchant_id: string;
  data: { object: T };
  sequence: number;
}

export type CustomerEvent = PublicEvent<
  Customer,
  'customer.created' | 'customer.updated' | 'customer.deleted'
>;

/** Headers set on every event record, so consumers can route without parsing the body. */
export const EventHeaders = {
  type: 'event-type',
  schemaVersion: 'schema-version',
  merchantId: 'merchant-id',
  correlationId: 'correlation-id',
  requestId: 'request-id',
} as const;
