import { IdPrefixes } from '../ids';
import { RefundEventTypes, RefundFailureCodes, RefundReasons, RefundStatuses } from '../refunds';
import {
  idOf,
  idSchema,
  listSchema,
  metadataLike,
  objectTag,
  timestampSchema,
  type SchemaOf,
} from './common.schema';
import { envelopeSchema } from './envelope.schema';
import { moneySchema } from './money.schema';

export const refundReasonSchema = {
  type: 'string',
  enum: RefundReasons,
  examples: ['requested_by_customer'],
} as const satisfies SchemaOf;

export const refundFailureSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', enum: RefundFailureCodes, examples: ['declined'] },
    message: { type: 'string', minLength: 1, examples: ['The card issuer declined the refund.'] },
  },
} as const satisfies SchemaOf;

/**
 * A refund as the API returns it (and as refund events carry it). Closed, like the payment: an
 * internal field (merchant, acquirer reference, version…) leaking into an event fails validation.
 */
export const refundSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'object',
    'payment',
    'amount',
    'status',
    'reason',
    'failure',
    'metadata',
    'created_at',
  ],
  properties: {
    id: idSchema(IdPrefixes.refund, 're_7Lm4Tz1Vb8Np3Rw7Hc2kQx'),
    object: objectTag('refund'),
    payment: {
      ...idOf(IdPrefixes.payment),
      description: 'The payment refunded.',
      examples: ['pay_3kTz9Qw2Lm8Xc4Vb7Np1Rs'],
    },
    amount: moneySchema,
    status: {
      type: 'string',
      enum: RefundStatuses,
      description: 'pending until the acquirer has answered, then succeeded or failed.',
      examples: ['succeeded'],
    },
    reason: {
      anyOf: [refundReasonSchema, { type: 'null' }],
      description: "The merchant's reason, if it gave one.",
      examples: ['requested_by_customer'],
    },
    failure: {
      anyOf: [refundFailureSchema, { type: 'null' }],
      description: 'Why the refund failed; null unless status is failed.',
      examples: [null],
    },
    metadata: metadataLike({ ticket: 'support_4821' }),
    created_at: { ...timestampSchema, examples: ['2026-03-16T09:12:44.018Z'] },
  },
} as const satisfies SchemaOf;

export const refundListSchema = listSchema(refundSchema, 'Whether more refunds follow this page.');

/**
 * A refund event as a payment's events list shows it: any of the refund event types. Its
 * sequence is the payment stream's version, since the refund lives on its payment's stream.
 */
export const refundEventSchema = envelopeSchema({
  type: { type: 'string', enum: RefundEventTypes, examples: ['refund.succeeded'] },
  schemaVersion: { type: 'integer', minimum: 1, examples: [1] },
  object: { allOf: [refundSchema], description: 'The refund as it was after this event.' },
  sequence: {
    type: 'integer',
    minimum: 3,
    description: "The payment stream's version: a refund follows the payment's capture.",
    examples: [3],
  },
});
