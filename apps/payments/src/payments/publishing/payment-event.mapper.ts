import {
  isOneOf,
  RefundEventTypes,
  type PaymentEventType as PublicPaymentEventType,
  type PaymentStreamEvent,
  type RefundEventType,
} from '@finfusion/contracts';
import { publicEventOf, type StoredEvent } from '@finfusion/event-store';
import {
  evolve,
  initialState,
  isPayment,
  type Payment,
  type PaymentState,
  type Refund,
} from '../domain/payment';
import {
  occurredAt,
  toPaymentEvent,
  type PaymentEvent,
  type PaymentEventType,
} from '../domain/payment.events';
import { toPaymentResource, toRefundResource } from '../payment.resource';

/**
 * The public name of each stored type (the event table of docs/api.md, A payment's events). A
 * capture is `payment.succeeded`, as an automatic payment's authorization is: the status both
 * reach, and what consumers already count as money taken.
 */
export function publicTypeOf(type: PaymentEventType): PublicPaymentEventType | RefundEventType {
  switch (type) {
    case 'PaymentCreated':
      return 'payment.created';
    case 'PaymentSucceeded':
    case 'PaymentCaptured':
      return 'payment.succeeded';
    case 'PaymentFailed':
      return 'payment.failed';
    case 'PaymentAuthorized':
      return 'payment.requires_capture';
    case 'PaymentCanceled':
      return 'payment.canceled';
    case 'RefundCreated':
      return 'refund.created';
    case 'RefundSucceeded':
      return 'refund.succeeded';
    case 'RefundFailed':
      return 'refund.failed';
    default: {
      const unhandled: never = type;
      throw new Error(`unknown payment event type ${String(unhandled)}`);
    }
  }
}

const isRefundEventType = isOneOf(RefundEventTypes);

/** The refund a refund event is about, as the payment holds it after the event. */
function refundOf(event: PaymentEvent, payment: Payment, stored: StoredEvent): Refund {
  const refundId =
    event.type === 'RefundCreated' ||
    event.type === 'RefundSucceeded' ||
    event.type === 'RefundFailed'
      ? event.data.refundId
      : undefined;
  const refund = payment.refunds.find((r) => r.id === refundId);
  if (!refund) throw new Error(`event ${stored.eventId} is not about one of the payment's refunds`);
  return refund;
}

/**
 * The public envelopes of a stream, oldest first: each event's `data.object` is the payment (or,
 * for a refund event, the refund) folded up to and including it, and `created_at` the time the
 * decider gave the event.
 */
export function toPublicEvents(history: readonly StoredEvent[]): PaymentStreamEvent[] {
  let state: PaymentState = initialState;
  return history.map((stored): PaymentStreamEvent => {
    const event = toPaymentEvent(stored.type, stored.schemaVersion, stored.data);
    state = evolve(state, event);
    if (!isPayment(state)) {
      throw new Error(`payment stream ${stored.streamId} does not start with PaymentCreated`);
    }
    const type = publicTypeOf(event.type);
    const content = { occurredAt: occurredAt(event), merchantId: state.merchantId };
    return isRefundEventType(type)
      ? publicEventOf(stored, {
          ...content,
          type,
          object: toRefundResource(state, refundOf(event, state, stored)),
        })
      : publicEventOf(stored, { ...content, type, object: toPaymentResource(state) });
  });
}
