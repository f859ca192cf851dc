import type { CancellationReason } from '@finfusion/contracts';
import type { PaymentCreated, PaymentEvent, RefundCreated } from './payment.events';

// Events and commands used by the domain specs and the integration tests.

export const T0 = new Date('2026-03-15T10:30:00.000Z');
export const T1 = new Date('2026-03-15T10:30:01.250Z');

export const keptCard = {
  brand: 'visa',
  last4: '4242',
  expMonth: 12,
  expYear: 2030,
  fingerprint: 'f'.repeat(64),
} as const;

export const created = (overrides: Partial<PaymentCreated['data']> = {}): PaymentCreated => ({
  type: 'PaymentCreated',
  data: {
    paymentId: 'pay_1',
    merchantId: 'mer_1',
    amount: { value: 1000, currency: 'USD' },
    paymentMethod: { id: 'pm_1', card: { ...keptCard } },
    customerId: null,
    metadata: { order_id: 'order_123' },
    createdAt: T0.toISOString(),
    ...overrides,
  },
});

export const succeeded = (at = T1): PaymentEvent => ({
  type: 'PaymentSucceeded',
  data: { paymentId: 'pay_1', authorizationReference: 'auth_1', succeededAt: at.toISOString() },
});

export const failed = (at = T1): PaymentEvent => ({
  type: 'PaymentFailed',
  data: {
    paymentId: 'pay_1',
    failure: {
      code: 'card_declined',
      declineCode: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
    },
    failedAt: at.toISOString(),
  },
});

// Manual capture and refunds: a day after T1, and a week after it (the default deadline).
export const T2 = new Date('2026-03-16T09:00:00.000Z');
export const CAPTURE_BEFORE = new Date('2026-03-22T10:30:01.250Z');

export const createdManual = (overrides: Partial<PaymentCreated['data']> = {}): PaymentCreated =>
  created({ captureMethod: 'manual', ...overrides });

export const authorized = (captureBefore = CAPTURE_BEFORE): PaymentEvent => ({
  type: 'PaymentAuthorized',
  data: {
    paymentId: 'pay_1',
    authorizationReference: 'auth_1',
    authorizedAt: T1.toISOString(),
    captureBefore: captureBefore.toISOString(),
  },
});

export const captured = (amount = 1000, at = T2): PaymentEvent => ({
  type: 'PaymentCaptured',
  data: { paymentId: 'pay_1', amount, capturedAt: at.toISOString() },
});

export const canceled = (
  reason: CancellationReason | null = 'requested_by_customer',
  at = T2,
): PaymentEvent => ({
  type: 'PaymentCanceled',
  data: { paymentId: 'pay_1', reason, canceledAt: at.toISOString() },
});

export const refundCreated = (
  refundId: string,
  amount: number,
  overrides: Partial<RefundCreated['data']> = {},
): RefundCreated => ({
  type: 'RefundCreated',
  data: {
    paymentId: 'pay_1',
    refundId,
    amount,
    reason: null,
    metadata: {},
    createdAt: T2.toISOString(),
    ...overrides,
  },
});

export const refundSucceeded = (refundId: string, at = T2): PaymentEvent => ({
  type: 'RefundSucceeded',
  data: {
    paymentId: 'pay_1',
    refundId,
    reference: `ref_${refundId}`,
    succeededAt: at.toISOString(),
  },
});

export const REFUND_DECLINED = {
  code: 'declined',
  message: 'The card issuer declined the refund.',
} as const;

export const refundFailed = (refundId: string, at = T2): PaymentEvent => ({
  type: 'RefundFailed',
  data: {
    paymentId: 'pay_1',
    refundId,
    failure: { ...REFUND_DECLINED },
    failedAt: at.toISOString(),
  },
});
