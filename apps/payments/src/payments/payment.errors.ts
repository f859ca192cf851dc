import {
  fail,
  notFound,
  type ErrorReply,
  type Payment as PaymentResource,
  type PaymentRequestErrorCode,
} from '@finfusion/contracts';

// Every error reply of the payments service, in one place.

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

  refundNotFound: (): ErrorReply => notFound('refund'),

  /**
   * The key already created a payment with other parameters (see Idempotency under Conventions in
   * docs/api.md).
   */
  idempotencyKeyReused: (): ErrorReply =>
    fail(400, {
      type: 'idempotency_error',
      code: 'idempotency_key_reused',
      message:
        'This Idempotency-Key was already used to create a payment with different parameters.',
    }),

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
