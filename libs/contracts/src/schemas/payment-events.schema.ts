import type { PaymentEventType, PaymentStatus } from '../payments';
import type { JsonSchema } from './common.schema';
import { publishedEventSchema } from './envelope.schema';
import { paymentFailureSchema, paymentSchema } from './payment.schema';

/**
 * The payment in one status, as an event of that status carries it: `failure` is set exactly
 * when it failed.
 */
export const paymentSchemaIn = (status: PaymentStatus): JsonSchema => ({
  ...paymentSchema,
  properties: {
    ...paymentSchema.properties,
    status: { type: 'string', const: status },
    failure: status === 'failed' ? paymentFailureSchema : { type: 'null' },
  },
});

export const paymentCreatedSchema = publishedEventSchema({
  type: 'payment.created',
  schemaVersion: 1,
  title: 'payment.created',
  description:
    'A payment was created and awaits authorization. data.object is the payment, status pending.',
  object: paymentSchemaIn('pending'),
  sequence: { type: 'integer', const: 1, description: 'A creation is always version 1.' },
});

export const paymentSucceededSchema = publishedEventSchema({
  type: 'payment.succeeded',
  schemaVersion: 1,
  title: 'payment.succeeded',
  description: 'The acquirer authorized the payment. data.object is the payment, status succeeded.',
  object: paymentSchemaIn('succeeded'),
  sequence: { type: 'integer', minimum: 2 },
});

export const paymentFailedSchema = publishedEventSchema({
  type: 'payment.failed',
  schemaVersion: 1,
  title: 'payment.failed',
  description:
    'The payment failed: declined by the issuer, an expired card, a wrong CVC or a processing ' +
    'error. data.object is the payment, status failed, with failure.code and failure.message.',
  object: paymentSchemaIn('failed'),
  sequence: { type: 'integer', minimum: 2 },
});

export const paymentEventSchemas: Readonly<Record<PaymentEventType, JsonSchema>> = {
  'payment.created': paymentCreatedSchema,
  'payment.succeeded': paymentSucceededSchema,
  'payment.failed': paymentFailedSchema,
};
