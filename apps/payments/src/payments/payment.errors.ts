import {
  fail,
  notFound,
  type ErrorReply,
  type Payment as PaymentResource,
  type PaymentRequestErrorCode,
  type PaymentStateErrorCode,
  type PaymentStatus,
} from '@finfusion/contracts';
import type { PaymentCommandRejected } from './domain/payment.decider';

// Every error reply of the payments service, in one place.

/** A command on an existing payment, as its refusals name it. */
export interface PaymentAction {
  /** What the payment would become: "captured". */
  done: string;
  /** The status the payment needs for it. */
  requires: PaymentStatus;
  /** The field that names the payment: `id` (in the path) or `payment` (in the body). */
  idParam: 'id' | 'payment';
  /** The field of the amount, and what bounds it. */
  amount?: { param: string; limit: string };
}

export const PaymentActions = {
  capture: {
    done: 'captured',
    requires: 'requires_capture',
    idParam: 'id',
    amount: { param: 'amount_to_capture', limit: 'the amount authorized' },
  },
  cancel: { done: 'canceled', requires: 'requires_capture', idParam: 'id' },
  refund: {
    done: 'refunded',
    requires: 'succeeded',
    idParam: 'payment',
    amount: { param: 'amount', limit: 'what is left to refund of the payment' },
  },
} as const satisfies Record<string, PaymentAction>;

/** A 400 about the payment's state, which the reply carries as it is (`error.payment`). */
const stateError = (
  code: PaymentStateErrorCode,
  message: string,
  payment: PaymentResource,
  param?: string,
): ErrorReply =>
  fail(400, {
    type: 'invalid_request_error',
    code,
    message,
    ...(param !== undefined && { param }),
    payment,
  });

export const PaymentErrors = {
  invalidParam: (param: string, code: PaymentRequestErrorCode, message: string): ErrorReply =>
    fail(400, { type: 'invalid_request_error', code, message, param }),

  unknownCustomer: (): ErrorReply =>
    fail(400, {
      type: 'invalid_request_error',
      code: 'resource_missing',
      message: 'No such customer.',
      param: 'customer',
    }),

  /** 503: the customer could not be checked just now; nothing was created, a retry may pass. */
  customersUnavailable: (): ErrorReply =>
    fail(503, {
      type: 'api_error',
      code: 'service_unavailable',
      message: 'The customer could not be checked just now. Retry with the same Idempotency-Key.',
    }),

  paymentNotFound: (): ErrorReply => notFound('payment'),

  /** An unknown payment, or another merchant's: the same answer, so no id is revealed. */
  noSuchPayment: (action: PaymentAction): ErrorReply =>
    notFound('payment', { param: action.idParam }),

  refundNotFound: (): ErrorReply => notFound('refund'),

  /**
   * The key already created a payment, or a refund, with other parameters (see Idempotency under
   * Conventions in docs/api.md).
   */
  idempotencyKeyReused: (resource: 'payment' | 'refund' = 'payment'): ErrorReply =>
    fail(400, {
      type: 'idempotency_error',
      code: 'idempotency_key_reused',
      message: `This Idempotency-Key was already used to create a ${resource} with different parameters.`,
    }),

  /**
   * What the payment's history says to a capture, cancellation or refund it does not allow;
   * `payment` is the payment as it is now. Nothing was written.
   */
  commandRejected: (
    rejection: PaymentCommandRejected,
    action: PaymentAction,
    payment: PaymentResource | null,
  ): ErrorReply => {
    const { reason, details } = rejection;
    if (reason === 'payment_not_found' || payment === null) {
      return PaymentErrors.noSuchPayment(action);
    }
    switch (reason) {
      case 'payment_unexpected_state': {
        const status = details.status ?? payment.status;
        return stateError(
          'payment_unexpected_state',
          `This payment has the status ${status}; only a payment with the status ` +
            `${action.requires} can be ${action.done}.`,
          payment,
        );
      }
      case 'amount_too_large':
        return stateError(
          'amount_too_large',
          `${action.amount?.param ?? 'amount'} must be at most ${details.limit ?? 0}, ` +
            `${action.amount?.limit ?? 'the limit'}.`,
          payment,
          action.amount?.param,
        );
      case 'charge_already_refunded':
        return stateError(
          'charge_already_refunded',
          'This payment has already been refunded in full.',
          payment,
        );
      case 'amount_invalid':
        return PaymentErrors.invalidParam(
          action.amount?.param ?? 'amount',
          'parameter_invalid',
          `${action.amount?.param ?? 'amount'} must be a positive integer in the currency's minor unit.`,
        );
      // Not a refusal a caller can cause: the handler that asked deals with it.
      case 'payment_exists':
      case 'refund_exists':
      case 'refund_not_found':
        throw rejection;
      default: {
        const unhandled: never = reason;
        throw new Error(`unknown rejection ${String(unhandled)}`);
      }
    }
  },

  /** 402: the payment exists and failed; the body carries it, as GET will return it. */
  paymentFailed: (payment: PaymentResource): ErrorReply => {
    const failure = payment.failure ?? {
      code: 'processing_error' as const,
      message: 'The payment failed.',
    };
    return fail(402, {
      type: 'card_error',
      code: failure.code,
      message: failure.message,
      ...(failure.decline_code !== undefined && { decline_code: failure.decline_code }),
      payment,
    });
  },
};
