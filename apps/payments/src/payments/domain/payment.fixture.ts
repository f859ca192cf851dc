import type { PaymentCreated, PaymentEvent } from './payment.events';

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
