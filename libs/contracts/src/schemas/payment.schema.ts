import { CardBrands } from '../cards';
import { IdPrefixes } from '../ids';
import {
  CancellationReasons,
  CaptureMethods,
  DeclineCodes,
  PaymentEventTypes,
  PaymentFailureCodes,
  PaymentStatuses,
} from '../payments';
import {
  daySchema,
  idOf,
  idSchema,
  listSchema,
  metadataLike,
  objectTag,
  timestampSchema,
  type SchemaOf,
} from './common.schema';
import { envelopeSchema } from './envelope.schema';
import { currencySchema, moneySchema, moneyTotalSchema } from './money.schema';
import { refundEventSchema } from './refund.schema';

/** What is kept of a card: never the number or the CVC. */
export const paymentCardSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['brand', 'last4', 'exp_month', 'exp_year'],
  properties: {
    brand: { type: 'string', enum: CardBrands, examples: ['visa'] },
    last4: {
      type: 'string',
      pattern: '^[0-9]{4}$',
      description: 'The last four digits of the number.',
      examples: ['4242'],
    },
    exp_month: { type: 'integer', minimum: 1, maximum: 12, examples: [12] },
    exp_year: { type: 'integer', minimum: 1000, maximum: 9999, examples: [2030] },
  },
} as const satisfies SchemaOf;

export const paymentMethodSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'type', 'card'],
  properties: {
    id: idSchema(IdPrefixes.paymentMethod, 'pm_8Qw2Lm4Tz1Vb8Np3Rw7Hc2'),
    type: objectTag('card'),
    card: paymentCardSchema,
  },
} as const satisfies SchemaOf;

export const cancellationReasonSchema = {
  type: 'string',
  enum: CancellationReasons,
  examples: ['requested_by_customer'],
} as const satisfies SchemaOf;

/** The issuer's reason, in a failed payment and in the 402 that reports it. */
export const declineCodeSchema = {
  type: 'string',
  enum: DeclineCodes,
  description: "The issuer's reason; only with card_declined.",
  examples: ['insufficient_funds'],
} as const satisfies SchemaOf;

export const paymentFailureCodeSchema = {
  type: 'string',
  enum: PaymentFailureCodes,
  examples: ['card_declined'],
} as const satisfies SchemaOf;

export const paymentFailureSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'message'],
  properties: {
    code: paymentFailureCodeSchema,
    decline_code: declineCodeSchema,
    message: { type: 'string', minLength: 1, examples: ['Your card has insufficient funds.'] },
  },
} as const satisfies SchemaOf;

/**
 * The payment as the API returns it (payments.create, .get, .list, and every payment event's
 * data.object). Closed like the customer's, so an internal field (merchant, fingerprint,
 * version…) leaking into an event fails validation. Every field is always present (null when it
 * does not apply), so consumers never have to tell an absent field from an empty one.
 */
export const paymentSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'object',
    'status',
    'amount',
    'amount_captured',
    'amount_refunded',
    'capture_method',
    'capture_before',
    'payment_method',
    'customer',
    'failure',
    'canceled_at',
    'cancellation_reason',
    'refunds',
    'created_at',
    'metadata',
  ],
  properties: {
    id: idSchema(IdPrefixes.payment, 'pay_3kTz9Qw2Lm8Xc4Vb7Np1Rs'),
    object: objectTag('payment'),
    status: {
      type: 'string',
      enum: PaymentStatuses,
      description:
        'pending until the acquirer has answered, then succeeded (captured) or failed. With ' +
        'manual capture, an authorized payment is requires_capture until it is captured ' +
        '(succeeded) or canceled.',
      examples: ['succeeded'],
    },
    amount: moneySchema,
    amount_captured: {
      ...moneyTotalSchema,
      description:
        'What was captured: the whole amount once an automatic payment succeeds, the amount ' +
        'captured of a manual one; value 0 until then.',
    },
    amount_refunded: {
      ...moneyTotalSchema,
      description: 'The sum of the succeeded refunds; at most amount_captured.',
    },
    capture_method: {
      type: 'string',
      enum: CaptureMethods,
      description: 'automatic captures on authorization; manual waits in requires_capture.',
      examples: ['automatic'],
    },
    capture_before: {
      anyOf: [timestampSchema, { type: 'null' }],
      description:
        'Once a manual payment is authorized: when it is canceled (reason automatic) unless ' +
        'captured. Null before that and for automatic capture.',
      examples: [null],
    },
    payment_method: paymentMethodSchema,
    customer: {
      anyOf: [idOf(IdPrefixes.customer), { type: 'null' }],
      examples: [null],
    },
    failure: {
      anyOf: [paymentFailureSchema, { type: 'null' }],
      description: 'Why the payment failed; null unless status is failed.',
      examples: [null],
    },
    canceled_at: {
      anyOf: [timestampSchema, { type: 'null' }],
      description: 'When the payment was canceled; null unless status is canceled.',
      examples: [null],
    },
    cancellation_reason: {
      anyOf: [cancellationReasonSchema, { type: 'null' }],
      description:
        "The merchant's reason, or automatic when the authorization expired; null unless " +
        'status is canceled, or when no reason was given.',
      examples: [null],
    },
    refunds: {
      type: 'array',
      items: idOf(IdPrefixes.refund),
      description: "The ids of the payment's refunds, oldest first, whatever their status.",
      examples: [[]],
    },
    created_at: { ...timestampSchema, examples: ['2026-03-15T10:30:00.123Z'] },
    metadata: metadataLike({ order_id: 'order_123' }),
  },
} as const satisfies SchemaOf;

export const paymentListSchema = listSchema(
  paymentSchema,
  'Whether more payments follow this page.',
);

/** A payment event as GET /v2/payments/{id}/events lists it: any of the payment event types. */
export const paymentEventSchema = envelopeSchema({
  type: { type: 'string', enum: PaymentEventTypes, examples: ['payment.succeeded'] },
  schemaVersion: { type: 'integer', minimum: 1, examples: [1] },
  object: { allOf: [paymentSchema], description: 'The payment as it was after this event.' },
  sequence: {
    type: 'integer',
    minimum: 1,
    description: "The payment stream's version: 1 for payment.created, then 2, 3 …",
    examples: [2],
  },
});

/** A payment's history: its own events and its refunds' (which share its stream). */
export const paymentEventListSchema = listSchema(
  { anyOf: [paymentEventSchema, refundEventSchema] },
  'Always false: the whole history is one page.',
  'Oldest first.',
);

/**
 * The merchant's payments created on one UTC day in one currency that are now in one status.
 * A payment moves from `pending` to its outcome, so each payment counts once, where it stands.
 */
export const dailySummarySchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'object',
    'date',
    'currency',
    'status',
    'count',
    'volume',
    'captured',
    'refunded',
    'net',
  ],
  properties: {
    object: objectTag('daily_summary'),
    date: { ...daySchema, description: 'The UTC day of creation.', examples: ['2026-03-15'] },
    currency: currencySchema,
    status: {
      type: 'string',
      enum: PaymentStatuses,
      description: 'Where the payments stand now; each payment counts once.',
      examples: ['succeeded'],
    },
    count: { type: 'integer', minimum: 1, examples: [2] },
    volume: {
      type: 'integer',
      minimum: 0,
      description: "Sum of amount.value, in the currency's minor unit.",
      examples: [3500],
    },
    captured: {
      type: 'integer',
      minimum: 0,
      description:
        'Sum of amount_captured: what these payments took, in part for a partial capture.',
      examples: [3500],
    },
    refunded: {
      type: 'integer',
      minimum: 0,
      description: 'Sum of amount_refunded: what their succeeded refunds gave back.',
      examples: [500],
    },
    net: {
      type: 'integer',
      minimum: 0,
      description: 'captured less refunded: what the merchant keeps.',
      examples: [3000],
    },
  },
} as const satisfies SchemaOf;

/**
 * Rows with a non-zero count, by date, then currency, then status. Built asynchronously from the
 * event log: a payment appears within moments of being created, not necessarily at once.
 */
export const dailyReportSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['object', 'from', 'to', 'data'],
  properties: {
    object: objectTag('daily_report'),
    from: { ...daySchema, examples: ['2026-03-01'] },
    to: { ...daySchema, examples: ['2026-03-31'] },
    data: {
      type: 'array',
      items: dailySummarySchema,
      description: 'By date, then currency, then status; only non-zero counts.',
    },
  },
} as const satisfies SchemaOf;
