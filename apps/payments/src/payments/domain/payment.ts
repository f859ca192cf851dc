import type {
  CancellationReason,
  CaptureMethod,
  Metadata,
  PaymentStatus,
  RefundReason,
  RefundStatus,
} from '@finfusion/contracts';
import type { Failure, KeptCard, Money, PaymentEvent, RefundFailure } from './payment.events';

/** A refund of the payment: what its events say so far. */
export interface Refund {
  id: string;
  /** Minor units of the payment's currency. */
  amount: number;
  status: RefundStatus;
  reason: RefundReason | null;
  metadata: Metadata;
  failure: RefundFailure | null;
  createdAt: string;
  updatedAt: string;
}

/** A payment that exists: what its events say so far. */
export interface Payment {
  status: PaymentStatus;
  id: string;
  merchantId: string;
  amount: Money;
  captureMethod: CaptureMethod;
  /** Minor units captured: 0 until captured, then the whole amount or a manual capture's part. */
  amountCaptured: number;
  /** A manual payment's authorization deadline, once authorized; null otherwise. */
  captureBefore: string | null;
  paymentMethod: { id: string; card: KeptCard };
  customerId: string | null;
  metadata: Metadata;
  failure: Failure | null;
  cancellation: { reason: CancellationReason | null; canceledAt: string } | null;
  /** Oldest first. */
  refunds: Refund[];
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

const sumOf = (refunds: readonly Refund[]) => refunds.reduce((sum, r) => sum + r.amount, 0);

/** What the succeeded refunds gave back, in minor units. */
export const amountRefunded = (payment: Payment): number =>
  sumOf(payment.refunds.filter((r) => r.status === 'succeeded'));

/**
 * What may still be refunded: the captured amount less the refunds succeeded or still pending
 * (a pending one may yet succeed). A failed refund gives its amount back to refund again.
 */
export const amountRefundable = (payment: Payment): number =>
  payment.amountCaptured - sumOf(payment.refunds.filter((r) => r.status !== 'failed'));

/** The payment with one refund changed. */
const withRefund = (
  payment: Payment,
  refundId: string,
  change: (refund: Refund) => Refund,
  at: string,
): Payment => ({
  ...payment,
  refunds: payment.refunds.map((r) => (r.id === refundId ? change(r) : r)),
  updatedAt: at,
});

/**
 * Applies one event. The decider only emits events that fit the state, so an event that does not
 * (an outcome before a creation) leaves the state as it is rather than inventing a payment.
 */
export function evolve(state: PaymentState, event: PaymentEvent): PaymentState {
  if (event.type === 'PaymentCreated') {
    const { data } = event;
    return {
      status: 'pending',
      id: data.paymentId,
      merchantId: data.merchantId,
      amount: data.amount,
      captureMethod: data.captureMethod ?? 'automatic',
      amountCaptured: 0,
      captureBefore: null,
      paymentMethod: data.paymentMethod,
      customerId: data.customerId,
      metadata: data.metadata,
      failure: null,
      cancellation: null,
      refunds: [],
      createdAt: data.createdAt,
      updatedAt: data.createdAt,
    };
  }
  if (!isPayment(state)) return state;
  switch (event.type) {
    case 'PaymentSucceeded':
      return {
        ...state,
        status: 'succeeded',
        amountCaptured: state.amount.value,
        failure: null,
        updatedAt: event.data.succeededAt,
      };
    case 'PaymentFailed':
      return {
        ...state,
        status: 'failed',
        failure: event.data.failure,
        updatedAt: event.data.failedAt,
      };
    case 'PaymentAuthorized':
      return {
        ...state,
        status: 'requires_capture',
        captureBefore: event.data.captureBefore,
        updatedAt: event.data.authorizedAt,
      };
    case 'PaymentCaptured':
      return {
        ...state,
        status: 'succeeded',
        amountCaptured: event.data.amount,
        updatedAt: event.data.capturedAt,
      };
    case 'PaymentCanceled':
      return {
        ...state,
        status: 'canceled',
        cancellation: { reason: event.data.reason, canceledAt: event.data.canceledAt },
        updatedAt: event.data.canceledAt,
      };
    case 'RefundCreated': {
      const { data } = event;
      const refund: Refund = {
        id: data.refundId,
        amount: data.amount,
        status: 'pending',
        reason: data.reason,
        metadata: data.metadata,
        failure: null,
        createdAt: data.createdAt,
        updatedAt: data.createdAt,
      };
      return { ...state, refunds: [...state.refunds, refund], updatedAt: data.createdAt };
    }
    case 'RefundSucceeded': {
      const at = event.data.succeededAt;
      return withRefund(
        state,
        event.data.refundId,
        (r) => ({ ...r, status: 'succeeded', updatedAt: at }),
        at,
      );
    }
    case 'RefundFailed': {
      const { failure, failedAt: at } = event.data;
      return withRefund(
        state,
        event.data.refundId,
        (r) => ({ ...r, status: 'failed', failure, updatedAt: at }),
        at,
      );
    }
    default: {
      const unhandled: never = event;
      throw new Error(`unknown payment event ${JSON.stringify(unhandled)}`);
    }
  }
}

export const fold = (events: readonly PaymentEvent[], from: PaymentState = initialState) =>
  events.reduce(evolve, from);
