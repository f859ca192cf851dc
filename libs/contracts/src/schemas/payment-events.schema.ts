import type { PaymentEventType, PaymentStatus } from '../payments';
import { timestampSchema, type JsonSchema } from './common.schema';
import { publishedEventSchema } from './envelope.schema';
import { paymentFailureSchema, paymentSchema } from './payment.schema';

// The payment event types at their current versions (PublicSchemaVersions): version 2 of the
// types published before manual capture (their version 1 is in payment-events.v1.schema.ts),
// version 1 of the types added with it. All carry the same payment, paymentSchema.

/**
 * The payment in one status, as an event of that status carries it: `failure` is set exactly
 * when it failed, `canceled_at` exactly when canceled, and a payment that requires capture is a
 * manual one with its deadline.
 */
export const paymentSchemaIn = (status: PaymentStatus): JsonSchema => ({
  ...paymentSchema,
  properties: {
    ...paymentSchema.properties,
    status: { type: 'string', const: status },
    failure: status === 'failed' ? paymentFailureSchema : { type: 'null' },
    ...(status === 'requires_capture' && {
      capture_method: { type: 'string', const: 'manual' },
      capture_before: timestampSchema,
    }),
    canceled_at: status === 'canceled' ? timestampSchema : { type: 'null' },
    cancellation_reason:
      status === 'canceled' ? paymentSchema.properties.cancellation_reason : { type: 'null' },
  },
});

export const paymentCreatedSchema = publishedEventSchema({
  type: 'payment.created',
  schemaVersion: 2,
  title: 'payment.created',
  description:
    'A payment was created and awaits authorization. data.object is the payment, status pending.',
  object: paymentSchemaIn('pending'),
  sequence: { type: 'integer', const: 1, description: 'A creation is always version 1.' },
});

export const paymentRequiresCaptureSchema = publishedEventSchema({
  type: 'payment.requires_capture',
  schemaVersion: 1,
  title: 'payment.requires_capture',
  description:
    'The acquirer authorized a payment with manual capture: it waits to be captured or ' +
    'canceled, and is canceled automatically at capture_before. data.object is the payment, ' +
    'status requires_capture.',
  object: paymentSchemaIn('requires_capture'),
  sequence: { type: 'integer', minimum: 2 },
});

export const paymentSucceededSchema = publishedEventSchema({
  type: 'payment.succeeded',
  schemaVersion: 2,
  title: 'payment.succeeded',
  description:
    'The payment was captured: on authorization with automatic capture, or when the merchant ' +
    'captured it after payment.requires_capture. data.object is the payment, status ' +
    'succeeded; amount_captured is what was captured, which a manual capture can make less ' +
    'than amount.',
  object: paymentSchemaIn('succeeded'),
  sequence: { type: 'integer', minimum: 2 },
});

export const paymentFailedSchema = publishedEventSchema({
  type: 'payment.failed',
  schemaVersion: 2,
  title: 'payment.failed',
  description:
    'The payment failed: declined by the issuer, an expired card, a wrong CVC or a processing ' +
    'error. data.object is the payment, status failed, with failure.code and failure.message.',
  object: paymentSchemaIn('failed'),
  sequence: { type: 'integer', minimum: 2 },
});

export const paymentCanceledSchema = publishedEventSchema({
  type: 'payment.canceled',
  schemaVersion: 1,
  title: 'payment.canceled',
  description:
    'A payment that required capture was canceled, by the merchant or automatically when its ' +
    'authorization expired (cancellation_reason automatic); nothing was captured. data.object ' +
    'is the payment, status canceled.',
  object: paymentSchemaIn('canceled'),
  sequence: { type: 'integer', minimum: 3 },
});

export const paymentEventSchemas: Readonly<Record<PaymentEventType, JsonSchema>> = {
  'payment.created': paymentCreatedSchema,
  'payment.requires_capture': paymentRequiresCaptureSchema,
  'payment.succeeded': paymentSucceededSchema,
  'payment.failed': paymentFailedSchema,
  'payment.canceled': paymentCanceledSchema,
};
