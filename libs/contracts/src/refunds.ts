// The refunds wire: a refund as the API returns it, and its public events. A refund belongs to a
// payment and lives on the payment's stream, so its events travel on payments.payment.events,
// keyed by the payment id, in order with the payment's own.
import type { FromSchema } from 'json-schema-to-ts';
import type { PublicEventType } from './events';
import type { ListParams } from './messages';
import type { Metadata } from './metadata';
import type {
  refundEventSchema,
  refundFailureSchema,
  refundListSchema,
  refundSchema,
} from './schemas/refund.schema';

/** `pending` until the acquirer has answered, then `succeeded` or `failed`. */
export const RefundStatuses = ['pending', 'succeeded', 'failed'] as const;
export type RefundStatus = (typeof RefundStatuses)[number];

/** Why the merchant refunds, if it says. */
export const RefundReasons = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;
export type RefundReason = (typeof RefundReasons)[number];

/** Why a refund failed: the acquirer could not return the money to the card. */
export const RefundFailureCodes = [
  'declined',
  'expired_or_canceled_card',
  'lost_or_stolen_card',
  'processing_error',
] as const;
export type RefundFailureCode = (typeof RefundFailureCodes)[number];

export type RefundFailure = FromSchema<typeof refundFailureSchema>;

/** The refund as the API returns it (`refundSchema`); `failure` is null unless it failed. */
export type Refund = FromSchema<typeof refundSchema>;

export type RefundList = FromSchema<typeof refundListSchema>;

/** The event types whose `data.object` is a refund. */
export const RefundEventTypes = [
  'refund.created',
  'refund.succeeded',
  'refund.failed',
] as const satisfies readonly PublicEventType[];
export type RefundEventType = (typeof RefundEventTypes)[number];

/** An envelope of a refund event: `data.object` is the refund after the event. */
export type RefundEvent = FromSchema<typeof refundEventSchema>;

// ---------------------------------------------------------------------------------------------
// refunds.create, refunds.get, refunds.list (answered by the payments service)

/**
 * refunds.create; the Idempotency-Key travels in `RequestMeta.idempotencyKey`. `amount` (minor
 * units of the payment's currency) defaults to all that is left to refund.
 */
export interface CreateRefundPayload {
  /** The `pay_` id of one of the merchant's payments. */
  payment: string;
  amount?: number;
  reason?: RefundReason;
  metadata?: Metadata;
}

export interface GetRefundPayload {
  id: string;
}

/** refunds.list: newest first; `payment` keeps one payment's refunds. */
export interface ListRefundsPayload extends ListParams {
  payment?: string;
}
