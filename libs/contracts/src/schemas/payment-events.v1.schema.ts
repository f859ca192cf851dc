import { IdPrefixes } from '../ids';
import type { JsonSchema } from './common.schema';
import { idOf, idSchema, metadataLike, objectTag, timestampSchema } from './common.schema';
import { publishedEventSchema } from './envelope.schema';
import { moneySchema } from './money.schema';
import { paymentFailureSchema, paymentMethodSchema } from './payment.schema';

// Version 1 of payment.created, payment.succeeded and payment.failed, as first published, before
// manual capture, cancellation and refunds. Superseded by version 2 (payment-events.schema.ts),
// but still published and served for the consumers written against it, so it stays exactly as
// it was: change nothing here (published.spec.ts compares the files with their history).

/** The payment as version 1 carried it: no capture, cancellation or refund fields. */
const paymentV1 = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'object',
    'status',
    'amount',
    'payment_method',
    'customer',
    'failure',
    'created_at',
    'metadata',
  ],
  properties: {
    id: idSchema(IdPrefixes.payment, 'pay_3kTz9Qw2Lm8Xc4Vb7Np1Rs'),
    object: objectTag('payment'),
    amount: moneySchema,
    payment_method: paymentMethodSchema,
    customer: {
      anyOf: [idOf(IdPrefixes.customer), { type: 'null' }],
      examples: [null],
    },
    created_at: { ...timestampSchema, examples: ['2026-03-15T10:30:00.123Z'] },
    metadata: metadataLike({ order_id: 'order_123' }),
  },
} as const;

const paymentV1In = (status: 'pending' | 'succeeded' | 'failed'): JsonSchema => {
  const { id, object, amount, payment_method, customer, created_at, metadata } =
    paymentV1.properties;
  return {
    ...paymentV1,
    properties: {
      id,
      object,
      status: { type: 'string', const: status },
      amount,
      payment_method,
      customer,
      failure: status === 'failed' ? paymentFailureSchema : { type: 'null' },
      created_at,
      metadata,
    },
  };
};

export const paymentCreatedSchemaV1 = publishedEventSchema({
  type: 'payment.created',
  schemaVersion: 1,
  title: 'payment.created',
  description:
    'A payment was created and awaits authorization. data.object is the payment, status pending.',
  object: paymentV1In('pending'),
  sequence: { type: 'integer', const: 1, description: 'A creation is always version 1.' },
});

export const paymentSucceededSchemaV1 = publishedEventSchema({
  type: 'payment.succeeded',
  schemaVersion: 1,
  title: 'payment.succeeded',
  description: 'The acquirer authorized the payment. data.object is the payment, status succeeded.',
  object: paymentV1In('succeeded'),
  sequence: { type: 'integer', minimum: 2 },
});

export const paymentFailedSchemaV1 = publishedEventSchema({
  type: 'payment.failed',
  schemaVersion: 1,
  title: 'payment.failed',
  description:
    'The payment failed: declined by the issuer, an expired card, a wrong CVC or a processing ' +
    'error. data.object is the payment, status failed, with failure.code and failure.message.',
  object: paymentV1In('failed'),
  sequence: { type: 'integer', minimum: 2 },
});

/** The superseded versions, still published beside the current ones. */
export const paymentEventSchemasV1 = {
  'payment.created': paymentCreatedSchemaV1,
  'payment.succeeded': paymentSucceededSchemaV1,
  'payment.failed': paymentFailedSchemaV1,
} as const satisfies Readonly<Record<string, JsonSchema>>;
