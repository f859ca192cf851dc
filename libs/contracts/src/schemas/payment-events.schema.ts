import { CardBrands } from '../cards';
import { CurrencyCodes, MAX_AMOUNT, MIN_AMOUNT } from '../currencies';
import { IdPrefixes } from '../ids';
import {
  DeclineCodes,
  PaymentFailureCodes,
  type PaymentEventType,
  type PaymentStatus,
} from '../payments';
import { metadataSchema } from './customer-events.schema';
import { envelopeSchema, idSchema, timestampSchema, type JsonSchema } from './envelope.schema';

export const moneySchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['value', 'currency'],
  properties: {
    value: {
      type: 'integer',
      minimum: MIN_AMOUNT,
      maximum: MAX_AMOUNT,
      description: "In the currency's minor unit: 1000 is 10.00 USD, or 1000 JPY.",
    },
    currency: { type: 'string', enum: CurrencyCodes, description: 'ISO 4217, upper case.' },
  },
};

/** What is kept of a card: never the number or the CVC. */
export const paymentCardSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['brand', 'last4', 'exp_month', 'exp_year'],
  properties: {
    brand: { type: 'string', enum: CardBrands },
    last4: { type: 'string', pattern: '^[0-9]{4}$' },
    exp_month: { type: 'integer', minimum: 1, maximum: 12 },
    exp_year: { type: 'integer', minimum: 1000, maximum: 9999 },
  },
};

export const paymentFailureSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', enum: PaymentFailureCodes },
    decline_code: {
      type: 'string',
      enum: DeclineCodes,
      description: 'Present when code is card_declined.',
    },
    message: { type: 'string', minLength: 1 },
  },
};

/**
 * The payment as the API returns it, in the given status. Closed like the customer's, so an
 * internal field (merchant, fingerprint, version…) leaking into an event fails validation.
 */
export const paymentSchema = (status: PaymentStatus): JsonSchema => ({
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
    id: idSchema(IdPrefixes.payment),
    object: { type: 'string', const: 'payment' },
    status: { type: 'string', const: status },
    amount: moneySchema,
    payment_method: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'type', 'card'],
      properties: {
        id: idSchema(IdPrefixes.paymentMethod),
        type: { type: 'string', const: 'card' },
        card: paymentCardSchema,
      },
    },
    customer: {
      anyOf: [idSchema(IdPrefixes.customer), { type: 'null' }],
    },
    failure: status === 'failed' ? paymentFailureSchema : { type: 'null' },
    created_at: timestampSchema,
    metadata: metadataSchema,
  },
});

export const paymentCreatedSchema = envelopeSchema({
  type: 'payment.created',
  schemaVersion: 1,
  title: 'payment.created',
  description:
    'A payment was created and awaits authorization. data.object is the payment, status pending.',
  object: paymentSchema('pending'),
  sequence: { type: 'integer', const: 1, description: 'A creation is always version 1.' },
});

export const paymentSucceededSchema = envelopeSchema({
  type: 'payment.succeeded',
  schemaVersion: 1,
  title: 'payment.succeeded',
  description: 'The acquirer authorized the payment. data.object is the payment, status succeeded.',
  object: paymentSchema('succeeded'),
  sequence: { type: 'integer', minimum: 2 },
});

export const paymentFailedSchema = envelopeSchema({
  type: 'payment.failed',
  schemaVersion: 1,
  title: 'payment.failed',
  description:
    'The payment failed: declined by the issuer, an expired card, a wrong CVC or a processing ' +
    'error. data.object is the payment, status failed, with failure.code and failure.message.',
  object: paymentSchema('failed'),
  sequence: { type: 'integer', minimum: 2 },
});

export const paymentEventSchemas: Readonly<Record<PaymentEventType, JsonSchema>> = {
  'payment.created': paymentCreatedSchema,
  'payment.succeeded': paymentSucceededSchema,
  'payment.failed': paymentFailedSchema,
};
