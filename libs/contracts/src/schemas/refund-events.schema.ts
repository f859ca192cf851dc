import type { RefundEventType, RefundStatus } from '../refunds';
import type { JsonSchema } from './common.schema';
import { publishedEventSchema } from './envelope.schema';
import { refundFailureSchema, refundSchema } from './refund.schema';

// A refund lives on its payment's stream: its events are keyed by the payment id on
// payments.payment.events, and `sequence` is the payment stream's version, so a consumer sees a
// payment's refunds in order with the payment's own events.

/** The refund in one status: `failure` is set exactly when it failed. */
export const refundSchemaIn = (status: RefundStatus): JsonSchema => ({
  ...refundSchema,
  properties: {
    ...refundSchema.properties,
    status: { type: 'string', const: status },
    failure: status === 'failed' ? refundFailureSchema : { type: 'null' },
  },
});

const streamNote = " The record's key is the payment id; sequence is the payment stream's version.";

export const refundCreatedSchema = publishedEventSchema({
  type: 'refund.created',
  schemaVersion: 1,
  title: 'refund.created',
  description:
    'A refund of a captured payment was created and awaits the acquirer. data.object is the ' +
    `refund, status pending.${streamNote}`,
  object: refundSchemaIn('pending'),
  sequence: { type: 'integer', minimum: 3 },
});

export const refundSucceededSchema = publishedEventSchema({
  type: 'refund.succeeded',
  schemaVersion: 1,
  title: 'refund.succeeded',
  description: `The acquirer returned the money. data.object is the refund, status succeeded.${streamNote}`,
  object: refundSchemaIn('succeeded'),
  sequence: { type: 'integer', minimum: 4 },
});

export const refundFailedSchema = publishedEventSchema({
  type: 'refund.failed',
  schemaVersion: 1,
  title: 'refund.failed',
  description:
    'The acquirer could not return the money; the amount can be refunded again. data.object is ' +
    `the refund, status failed, with failure.code and failure.message.${streamNote}`,
  object: refundSchemaIn('failed'),
  sequence: { type: 'integer', minimum: 4 },
});

export const refundEventSchemas: Readonly<Record<RefundEventType, JsonSchema>> = {
  'refund.created': refundCreatedSchema,
  'refund.succeeded': refundSucceededSchema,
  'refund.failed': refundFailedSchema,
};
