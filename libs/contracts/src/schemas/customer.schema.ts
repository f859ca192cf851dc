import { IdPrefixes } from '../ids';
import {
  deletedSchema,
  idSchema,
  listSchema,
  metadataLike,
  objectTag,
  timestampSchema,
  type SchemaOf,
} from './common.schema';

const customerId = 'cust_7Hc2kQx9Lm4Tz1Vb8Np3Rw';

/**
 * The customer as the API returns it. Closed, so an internal column (merchant, version,
 * idempotency key…) leaking into an event fails validation; a new field is added here first.
 */
export const customerSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'object', 'email', 'name', 'created_at', 'metadata'],
  properties: {
    id: idSchema(IdPrefixes.customer, customerId),
    object: objectTag('customer'),
    // Only the shape: the gateway's email validation is the authority on what is accepted.
    email: { type: 'string', minLength: 3, pattern: '@', examples: ['customer@example.com'] },
    name: { type: ['string', 'null'], examples: ['John Doe'] },
    created_at: { ...timestampSchema, examples: ['2026-03-15T10:30:00.000Z'] },
    metadata: metadataLike({ company: 'Acme Inc' }),
  },
} as const satisfies SchemaOf;

export const customerListSchema = listSchema(
  customerSchema,
  'Whether more customers follow this page.',
);

export const deletedCustomerSchema = deletedSchema('customer', IdPrefixes.customer, customerId);
