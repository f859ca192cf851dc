import type { Metadata, PaymentStatus } from '@finfusion/contracts';
import type { Failure, KeptCard, Money, PaymentEvent } from './payment.events';

/** A payment that exists: what its events say so far. */
export interface Payment {
  status: PaymentStatus;
  id: string;
  merchantId: string;
  amount: Money;
  paymentMethod: { id: string; card: KeptCard };
  customerId: string | null;
  metadata: Metadata;
  failure: Failure | null;
  createdAt: string;
  /** When the last event happened. */
  updatedAt: string;
}

/** Before its first event a stream holds no payment. */
export interface NoPayment {
  status: 'none';
}

export type PaymentState = NoPayment | Payment;

export const initialState: PaymentState = { status: 'none' };

export const isPayment = (state: PaymentState): state is Payment => state.status !== 'none';

/**
 * Applies one event. The decider only emits events that fit the state, so an event that does not
 * (an outcome before a creation) leaves the state as it is rather than inventing a payment.
 */
export function evolve(state: PaymentState, event: PaymentEvent): PaymentState {
  switch (event.type) {
    case 'PaymentCreated': {
      const { data } = event;
      return {
        status: 'pending',
        id: data.paymentId,
        merchantId: data.merchantId,
        amount: data.amount,
        paymentMethod: data.paymentMethod,
        customerId: data.customerId,
        metadata: data.metadata,
        failure: null,
        createdAt: data.createdAt,
        updatedAt: data.createdAt,
      };
    }
    case 'PaymentSucceeded':
      if (!isPayment(state)) return state;
      return { ...state, status: 'succeeded', failure: null, updatedAt: event.data.succeededAt };
    case 'PaymentFailed':
      if (!isPayment(state)) return state;
      return {
        ...state,
        status: 'failed',
        failure: event.data.failure,
        updatedAt: event.data.failedAt,
      };
    default: {
      const unhandled: never = event;
      throw new Error(`unknown payment event ${JSON.stringify(unhandled)}`);
    }
  }
}

export const fold = (events: readonly PaymentEvent[], from: PaymentState = initialState) =>
  events.reduce(evolve, from);
