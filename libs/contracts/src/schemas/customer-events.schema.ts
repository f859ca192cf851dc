import { IdPrefixes } from '../ids';
import { MetadataLimits } from '../metadata';
import { envelopeSchema, idSchema, timestampSchema, type JsonSchema } from './envelope.schema';

export const metadataSchema: JsonSchema = {
  type: 'object',
  maxProperties: MetadataLimits.maxKeys,
  propertyNames: { type: 'string', minLength: 1, maxLength: MetadataLimits.maxKeyLength },
  additionalProperties: { type: 'string', maxLength: MetadataLimits.maxValueLength },
};

/**
 * The customer as the API returns it. Closed, so an internal column (merchant, version,
 * idempotency key…) leaking into an event fails validation; a new field is added here first.
 */
export const customerSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'object', 'email', 'name', 'created_at', 'metadata'],
  properties: {
    id: idSchema(IdPrefixes.customer),
    object: { type: 'string', const: 'customer' },
    // Only the shape: the gateway's email validation is the authority on what is accepted.
    email: { type: 'string', minLength: 3, pattern: '@' },
    name: { type: ['string', 'null'] },
    created_at: timestampSchema,
    metadata: metadataSchema,
  },
};

export const customerCreatedSchema = envelopeSchema({
  type: 'customer.created',
  schemaVersion: 1,
  title: 'customer.created',
  description: 'A customer was created. data.object is the new customer.',
  object: customerSchema,
  sequence: { type: 'integer', const: 1, description: 'A creation is always version 1.' },
});

export const customerUpdatedSchema = envelopeSchema({
  type: 'customer.updated',
  schemaVersion: 1,
  title: 'customer.updated',
  description: 'A customer was changed. data.object is the customer after the change.',
  object: customerSchema,
  sequence: { type: 'integer', minimum: 2 },
});

export const customerDeletedSchema = envelopeSchema({
  type: 'customer.deleted',
  schemaVersion: 1,
  title: 'customer.deleted',
  description:
    'A customer was deleted. data.object is the customer as it was when deleted; ' +
    'GET answers 404 for it from now on.',
  object: customerSchema,
  sequence: { type: 'integer', minimum: 2 },
});
