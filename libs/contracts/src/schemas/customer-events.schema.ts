import { ERASED_EMAIL } from '../customers';
import { CustomerEventTypes } from '../events';
import { customerSchema } from './customer.schema';
import { envelopeSchema, publishedEventSchema, sequenceSchema } from './envelope.schema';

/** A customer event as a consumer sees it before reading its type. */
export const customerEventSchema = envelopeSchema({
  type: { type: 'string', enum: CustomerEventTypes, examples: ['customer.created'] },
  schemaVersion: { type: 'integer', minimum: 1, examples: [1] },
  object: customerSchema,
  sequence: sequenceSchema,
});

export const customerCreatedSchema = publishedEventSchema({
  type: 'customer.created',
  schemaVersion: 1,
  title: 'customer.created',
  description: 'A customer was created. data.object is the new customer.',
  object: customerSchema,
  sequence: { type: 'integer', const: 1, description: 'A creation is always version 1.' },
});

export const customerUpdatedSchema = publishedEventSchema({
  type: 'customer.updated',
  schemaVersion: 1,
  title: 'customer.updated',
  description: 'A customer was changed. data.object is the customer after the change.',
  object: customerSchema,
  sequence: { type: 'integer', minimum: 2 },
});

export const customerDeletedSchema = publishedEventSchema({
  type: 'customer.deleted',
  schemaVersion: 1,
  title: 'customer.deleted',
  description:
    'A customer was deleted, and its personal data erased: data.object is the customer with ' +
    `email ${ERASED_EMAIL}, name null and metadata {}; GET answers 404 for it from now on. ` +
    'Consumers erase their own copies of its earlier events.',
  object: customerSchema,
  sequence: { type: 'integer', minimum: 2 },
});
