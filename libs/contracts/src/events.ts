import type { FromSchema } from 'json-schema-to-ts';
import type { ListPage, ListParams } from './messages';
import type { CreatedRange } from './payments';
import type { customerEventSchema } from './schemas/customer-events.schema';
import type { publicEventSchema } from './schemas/envelope.schema';

/** Public event types: Kafka event topics and webhook bodies use these names. */
export const PublicEventTypes = [
  'payment.created',
  'payment.requires_capture',
  'payment.succeeded',
  'payment.failed',
  'payment.canceled',
  'refund.created',
  'refund.succeeded',
  'refund.failed',
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
  // 2: the payment gained manual capture, cancellation and refunds (new statuses, and fields
  // every payment now carries); version 1 stays published (docs/events.md, Schemas). A type
  // added since starts at 1, whatever the payment it carries.
  'payment.created': 2,
  'payment.requires_capture': 1,
  'payment.succeeded': 2,
  'payment.failed': 2,
  'payment.canceled': 1,
  'refund.created': 1,
  'refund.succeeded': 1,
  'refund.failed': 1,
  'customer.created': 1,
  'customer.updated': 1,
  'customer.deleted': 1,
};

export const CustomerEventTypes = [
  'customer.created',
  'customer.updated',
  'customer.deleted',
] as const satisfies readonly PublicEventType[];
export type CustomerEventType = (typeof CustomerEventTypes)[number];

/**
 * The public envelope (`publicEventSchema`): the same JSON on Kafka and in a webhook body.
 * - `id`: the stored event's id, the same on every redelivery (consumers deduplicate on it).
 * - `type`: the public event type.
 * - `schema_version`: the version of that type's public shape (`PublicSchemaVersions`).
 * - `created_at`: when the event happened, as the service's clock said when it decided it; not
 *   when it was written, published or delivered.
 * - `merchant_id`: the merchant whose resource changed.
 * - `data.object`: the resource as GET returns it just after this event.
 * - `sequence`: the resource's stream version after this event: 1, 2, 3… per resource id.
 */
export type PublicEvent<T = unknown, K extends PublicEventType = PublicEventType> = Omit<
  FromSchema<typeof publicEventSchema>,
  'type' | 'data'
> & { type: K; data: { object: T } };

export type CustomerEvent = FromSchema<typeof customerEventSchema>;

/** Headers set on every event record, so consumers can route without parsing the body. */
export const EventHeaders = {
  type: 'event-type',
  schemaVersion: 'schema-version',
  merchantId: 'merchant-id',
  correlationId: 'correlation-id',
  requestId: 'request-id',
} as const;

/**
 * The CloudEvents attributes on every event record, in the Kafka protocol binding's binary mode
 * (CloudEvents 1.0): the record's value stays the envelope above, which is the event's data.
 */
export const CloudEventHeaders = {
  specVersion: 'ce_specversion',
  id: 'ce_id',
  source: 'ce_source',
  type: 'ce_type',
  time: 'ce_time',
  subject: 'ce_subject',
  dataSchema: 'ce_dataschema',
  /** An extension attribute: the merchant whose resource changed, for routing by merchant. */
  merchantId: 'ce_merchantid',
  contentType: 'content-type',
} as const;

/** The CloudEvents `source` of an event type: the service whose resources it is about. */
export const cloudEventSourceOf = (type: PublicEventType): string =>
  type.startsWith('customer.') ? '/finfusion/customers' : '/finfusion/payments';

// ---------------------------------------------------------------------------------------------
// events.list, events.get: the merchant's events as the webhook dispatcher took them in

/** events.list: newest first by the envelope's `created_at`; `limit` 1–100. */
export interface ListEventsPayload extends ListParams {
  type?: PublicEventType;
  /** Inclusive bounds on the envelope's `created_at`; HTTP `created[gte]`, `created[lte]`. */
  created?: CreatedRange;
}

/** events.get */
export interface GetEventPayload {
  id: string;
}

/** A page of events (`eventListSchema`): each the envelope the webhooks and topics carried. */
export type EventList = ListPage<PublicEvent>;
