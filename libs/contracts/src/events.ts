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

/** The public envelope: the same JSON on Kafka and in a webhook body. */
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
