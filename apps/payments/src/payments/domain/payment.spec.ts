import { evolve, fold, initialState, isPayment } from './payment';
import { created, failed, keptCard, succeeded, T0, T1 } from './payment.fixture';

describe('evolve', () => {
  it('starts with no payment', () => {
    expect(initialState).toEqual({ status: 'none' });
    expect(isPayment(initialState)).toBe(false);
  });

  it('makes a pending payment of PaymentCreated', () => {
    expect(fold([created()])).toEqual({
      status: 'pending',
      id: 'pay_1',
      merchantId: 'mer_1',
      amount: { value: 1000, currency: 'USD' },
      paymentMethod: { id: 'pm_1', card: keptCard },
      customerId: null,
      metadata: { order_id: 'order_123' },
      failure: null,
      createdAt: T0.toISOString(),
      updatedAt: T0.toISOString(),
    });
  });

  it('marks it succeeded on PaymentSucceeded', () => {
    expect(fold([created(), succeeded()])).toMatchObject({
      status: 'succeeded',
      failure: null,
      createdAt: T0.toISOString(),
      updatedAt: T1.toISOString(),
    });
  });

  it('marks it failed with the failure on PaymentFailed', () => {
    expect(fold([created(), failed()])).toMatchObject({
      status: 'failed',
      failure: { code: 'card_declined', declineCode: 'insufficient_funds' },
      updatedAt: T1.toISOString(),
    });
  });

  it('ignores an outcome that arrives without a payment', () => {
    expect(evolve(initialState, succeeded())).toBe(initialState);
    expect(evolve(initialState, failed())).toBe(initialState);
  });
});
