import type { PaymentEvent as PublicPaymentEvent } from '@finfusion/contracts';
import { publicEventOf, type StoredEvent } from '@finfusion/event-store';
import { evolve, initialState, isPayment, type PaymentState } from '../domain/payment';
import { occurredAt, toPaymentEvent, type PaymentEventType } from '../domain/payment.events';
import { toPaymentResource } from '../payment.resource';

/** The public name of each stored type (the event table of docs/api.md, A payment's events). */
export function publicTypeOf(type: PaymentEventType): PublicPaymentEvent['type'] {
  switch (type) {
    case 'PaymentCreated':
      return 'payment.created';
    case 'PaymentSucceeded':
      return 'payment.succeeded';
    case 'PaymentFailed':
      return 'payment.failed';
    default: {
      const unhandled: never = type;
      throw new Error(`unknown payment event type ${String(unhandled)}`);
    }
  }
}

/**
 * The public envelopes of a stream, oldest first: each event's `data.object` is the payment folded
 * up to and including it, and `created_at` the time the decider gave the event.
 */
export function toPublicEvents(history: readonly StoredEvent[]): PublicPaymentEvent[] {
  let state: PaymentState = initialState;
  return history.map((stored) => {
    const event = toPaymentEvent(stored.type, stored.schemaVersion, stored.data);
    state = evolve(state, event);
    if (!isPayment(state)) {
      throw new Error(`payment stream ${stored.streamId} does not start with PaymentCreated`);
    }
    return publicEventOf(stored, {
      type: publicTypeOf(event.type),
      occurredAt: occurredAt(event),
      merchantId: state.merchantId,
      object: toPaymentResource(state),
    });
  });
}
