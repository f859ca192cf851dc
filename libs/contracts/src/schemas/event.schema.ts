import { PublicEventTypes } from '../events';
import { listSchema } from './common.schema';
import { customerSchema } from './customer.schema';
import { envelopeSchema, sequenceSchema } from './envelope.schema';
import { paymentSchema } from './payment.schema';

/**
 * Any public event as GET /v2/events returns it: the envelope of the webhooks and the event
 * topics, byte for byte the same JSON.
 */
export const eventSchema = envelopeSchema({
  type: { type: 'string', enum: PublicEventTypes, examples: ['payment.succeeded'] },
  schemaVersion: { type: 'integer', minimum: 1, examples: [1] },
  object: {
    oneOf: [paymentSchema, customerSchema],
    description:
      'The payment (payment.* events) or customer (customer.* events) as it was after this event.',
  },
  sequence: sequenceSchema,
});

export const eventListSchema = listSchema(
  eventSchema,
  'Whether more events follow in this direction.',
  'Newest first, by created_at.',
);
