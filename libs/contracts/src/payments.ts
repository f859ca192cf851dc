// The payments wire: what the gateway sends on the payments.* request topics, what the service
// replies, and what payments.payment.events carries. Field names are the public API's.
import type { FromSchema } from 'json-schema-to-ts';
import type { PublicEventType } from './events';
import type { ListParams } from './messages';
import type { Metadata } from './metadata';
import type { RefundEvent } from './refunds';
import type { moneySchema } from './schemas/money.schema';
import type {
  dailyReportSchema,
  dailySummarySchema,
  paymentCardSchema,
  paymentEventListSchema,
  paymentEventSchema,
  paymentFailureSchema,
  paymentListSchema,
  paymentMethodSchema,
  paymentSchema,
} from './schemas/payment.schema';

/**
 * `pending` until the acquirer answers; then `failed`, `succeeded` (captured), or, for manual
 * capture, `requires_capture` until the merchant captures (`succeeded`) or cancels (`canceled`),
 * or the authorization expires (`canceled`, reason `automatic`).
 */
export const PaymentStatuses = [
  'pending',
  'requires_capture',
  'succeeded',
  'failed',
  'canceled',
] as const;
export type PaymentStatus = (typeof PaymentStatuses)[number];

/** `automatic` authorizes and captures in one step; `manual` only authorizes. */
export const CaptureMethods = ['automatic', 'manual'] as const;
export type CaptureMethod = (typeof CaptureMethods)[number];

/** Why a payment was canceled; `automatic`: its authorization expired before a capture. */
export const CancellationReasons = [
  'duplicate',
  'fraudulent',
  'requested_by_customer',
  'abandoned',
  'automatic',
] as const;
export type CancellationReason = (typeof CancellationReasons)[number];

/** The reasons a merchant may give when canceling: all but the platform's own `automatic`. */
export const RequestedCancellationReasons = [
  'duplicate',
  'fraudulent',
  'requested_by_customer',
  'abandoned',
] as const satisfies readonly CancellationReason[];
export type RequestedCancellationReason = (typeof RequestedCancellationReasons)[number];

/** An amount in the currency's minor unit (cents for USD, yen for JPY); currency is ISO 4217. */
export type Money = FromSchema<typeof moneySchema>;

// ---------------------------------------------------------------------------------------------
// payments.create

/** The card as the merchant sends it. Lives only in memory: never stored, logged or published. */
export interface CardDetails {
  /** Digits only, 13–19 of them, Luhn-valid, a length the brand issues. */
  number: string;
  exp_month: number;
  /** Four digits. */
  exp_year: number;
  /** 3 digits, 4 for American Express. */
  cvc: string;
}

export interface PaymentMethodDetails {
  type: 'card';
  card: CardDetails;
}

/**
 * The card as it crosses Kafka: number and CVC sealed by the gateway (card-transit.ts), the
 * expiry in the clear.
 */
export interface SealedCardDetails {
  exp_month: number;
  exp_year: number;
  sealed: string;
}

/** payments.create; the Idempotency-Key travels in `RequestMeta.idempotencyKey`. */
export interface CreatePaymentPayload {
  amount: Money;
  payment_method: { type: 'card'; card: SealedCardDetails };
  metadata?: Metadata;
  /** A `cust_` id of one of the same merchant's customers. */
  customer?: string | null;
  /** Absent: `automatic`. */
  capture_method?: CaptureMethod;
}

// ---------------------------------------------------------------------------------------------
// The payment as the API returns it (payments.create, .get, .list, and payment events' data.object)

export type PaymentCard = FromSchema<typeof paymentCardSchema>;

export type PaymentMethod = FromSchema<typeof paymentMethodSchema>;

/** `code` of a failed payment, and of the 402 `card_error` that reports it. */
export const PaymentFailureCodes = [
  'card_declined',
  'expired_card',
  'incorrect_cvc',
  'processing_error',
] as const;
export type PaymentFailureCode = (typeof PaymentFailureCodes)[number];

/** Why the issuer declined; present only with `card_declined`. */
export const DeclineCodes = [
  'generic_decline',
  'insufficient_funds',
  'lost_card',
  'stolen_card',
] as const;
export type DeclineCode = (typeof DeclineCodes)[number];

export type PaymentFailure = FromSchema<typeof paymentFailureSchema>;

/** The payment as the API returns it (`paymentSchema`); `failure` is null unless it failed. */
export type Payment = FromSchema<typeof paymentSchema>;

/**
 * The 400 codes of payments.create (type `invalid_request_error`, `param` names the field with
 * dots: `payment_method.card.cvc`). The gateway's DTO validation should use the same codes.
 */
export const PaymentRequestErrorCodes = [
  'parameter_missing',
  'parameter_invalid',
  'parameter_unknown',
  'amount_too_small',
  'amount_too_large',
  'invalid_currency',
  'invalid_number',
  'invalid_expiry_month',
  'invalid_expiry_year',
  'invalid_cvc',
  'invalid_metadata',
  /** `customer` is not one of the merchant's customers. */
  'resource_missing',
] as const;
export type PaymentRequestErrorCode = (typeof PaymentRequestErrorCodes)[number];

// ---------------------------------------------------------------------------------------------
// payments.capture, payments.cancel

/** payments.capture: `amount_to_capture` (minor units) defaults to the whole authorization. */
export interface CapturePaymentPayload {
  id: string;
  amount_to_capture?: number;
}

/** payments.cancel. */
export interface CancelPaymentPayload {
  id: string;
  cancellation_reason?: RequestedCancellationReason;
}

/**
 * The 400 codes a payment's history gives a capture, cancellation or refund (type
 * `invalid_request_error`); the reply also carries the payment as it is, in `error.payment`.
 * - `payment_unexpected_state`: the payment's status does not allow it; the message names it.
 * - `amount_too_large`: more than may be captured or refunded; the message names the limit.
 * - `charge_already_refunded`: nothing is left to refund.
 */
export const PaymentStateErrorCodes = [
  'payment_unexpected_state',
  'amount_too_large',
  'charge_already_refunded',
] as const;
export type PaymentStateErrorCode = (typeof PaymentStateErrorCodes)[number];

// ---------------------------------------------------------------------------------------------
// payments.get, payments.list, payments.events

export interface GetPaymentPayload {
  id: string;
}

/** An inclusive range of ISO 8601 date-times (`2026-03-15T00:00:00Z`); HTTP `created[gte]`. */
export interface CreatedRange {
  gte?: string;
  lte?: string;
}

/** payments.list: newest first; `limit` 1–100 (the gateway applies the default of 10). */
export interface ListPaymentsPayload extends ListParams {
  status?: PaymentStatus;
  customer?: string;
  created?: CreatedRange;
}

export type PaymentList = FromSchema<typeof paymentListSchema>;

/** The event types whose `data.object` is the payment. */
export const PaymentEventTypes = [
  'payment.created',
  'payment.requires_capture',
  'payment.succeeded',
  'payment.failed',
  'payment.canceled',
] as const satisfies readonly PublicEventType[];
export type PaymentEventType = (typeof PaymentEventTypes)[number];

/** An envelope of a payment event type; `data.object` is the payment after the event. */
export type PaymentEvent = FromSchema<typeof paymentEventSchema>;

/**
 * Any envelope on payments.payment.events, and in a payment's events list: a payment event, or a
 * refund event of one of its refunds (refunds live on their payment's stream).
 */
export type PaymentStreamEvent = PaymentEvent | RefundEvent;

/** payments.events: the payment's whole history, its refunds' events included, oldest first. */
export interface GetPaymentEventsPayload {
  id: string;
}

export type PaymentEventList = FromSchema<typeof paymentEventListSchema>;

// ---------------------------------------------------------------------------------------------
// payments.report-daily

/** Inclusive UTC days `YYYY-MM-DD`, at most DAILY_REPORT_MAX_DAYS of them. */
export interface DailyReportPayload {
  from: string;
  to: string;
  currency?: string;
}

export const DAILY_REPORT_MAX_DAYS = 366;

/** One day, currency and status of the daily report (`dailySummarySchema`). */
export type DailySummary = FromSchema<typeof dailySummarySchema>;

/** The daily report (`dailyReportSchema`): its rows, and when they are built. */
export type DailyReport = FromSchema<typeof dailyReportSchema>;
