import {
  amountRefundable,
  amountRefunded,
  evolve,
  fold,
  initialState,
  isPayment,
  type Payment,
  type PaymentState,
} from './payment';
import {
  authorized,
  canceled,
  CAPTURE_BEFORE,
  captured,
  created,
  createdManual,
  failed,
  keptCard,
  REFUND_DECLINED,
  refundCreated,
  refundFailed,
  refundSucceeded,
  succeeded,
  T0,
  T1,
  T2,
} from './payment.fixture';

const paymentOf = (state: PaymentState): Payment => {
  if (!isPayment(state)) throw new Error('no payment');
  return state;
};

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
      captureMethod: 'automatic',
      amountCaptured: 0,
      captureBefore: null,
      paymentMethod: { id: 'pm_1', card: keptCard },
      customerId: null,
      metadata: { order_id: 'order_123' },
      failure: null,
      cancellation: null,
      refunds: [],
      createdAt: T0.toISOString(),
      updatedAt: T0.toISOString(),
    });
  });

  it('reads a PaymentCreated stored before manual capture existed as automatic', () => {
    const { captureMethod, ...stored } = created().data;
    expect(captureMethod).toBeUndefined();
    expect(fold([{ type: 'PaymentCreated', data: stored }])).toMatchObject({
      captureMethod: 'automatic',
    });
    expect(fold([createdManual()])).toMatchObject({ status: 'pending', captureMethod: 'manual' });
  });

  it('marks it succeeded and captured in full on PaymentSucceeded', () => {
    expect(fold([created(), succeeded()])).toMatchObject({
      status: 'succeeded',
      amountCaptured: 1000,
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
    expect(evolve(initialState, authorized())).toBe(initialState);
    expect(evolve(initialState, refundSucceeded('re_1'))).toBe(initialState);
  });

  it('makes an authorized manual payment require capture until its deadline', () => {
    expect(fold([createdManual(), authorized()])).toMatchObject({
      status: 'requires_capture',
      amountCaptured: 0,
      captureBefore: CAPTURE_BEFORE.toISOString(),
      updatedAt: T1.toISOString(),
    });
  });

  it('marks it succeeded with the amount captured on PaymentCaptured', () => {
    expect(fold([createdManual(), authorized(), captured(600)])).toMatchObject({
      status: 'succeeded',
      amount: { value: 1000, currency: 'USD' },
      amountCaptured: 600,
      updatedAt: T2.toISOString(),
    });
  });

  it('marks it canceled with the reason and time on PaymentCanceled', () => {
    expect(fold([createdManual(), authorized(), canceled('automatic')])).toMatchObject({
      status: 'canceled',
      amountCaptured: 0,
      cancellation: { reason: 'automatic', canceledAt: T2.toISOString() },
    });
  });

  it('keeps refunds oldest first, each with its own status, failure and times', () => {
    const later = new Date('2026-03-17T12:00:00.000Z');
    const payment = paymentOf(
      fold([
        created(),
        succeeded(),
        refundCreated('re_1', 300, { reason: 'duplicate', metadata: { ticket: '7' } }),
        refundCreated('re_2', 200),
        refundSucceeded('re_1', later),
        refundFailed('re_2', later),
        refundCreated('re_3', 100),
      ]),
    );
    expect(payment.status).toBe('succeeded');
    expect(payment.refunds).toEqual([
      {
        id: 're_1',
        amount: 300,
        status: 'succeeded',
        reason: 'duplicate',
        metadata: { ticket: '7' },
        failure: null,
        createdAt: T2.toISOString(),
        updatedAt: later.toISOString(),
      },
      expect.objectContaining({ id: 're_2', status: 'failed', failure: REFUND_DECLINED }),
      expect.objectContaining({ id: 're_3', status: 'pending', failure: null }),
    ]);
    expect(payment.updatedAt).toBe(T2.toISOString());
  });
});

describe('amountRefunded and amountRefundable', () => {
  const after = (...events: Parameters<typeof fold>[0]) =>
    paymentOf(fold([created(), succeeded(), ...events]));

  it('count only succeeded refunds as refunded, and hold pending ones back from refunding', () => {
    const payment = after(
      refundCreated('re_1', 300),
      refundSucceeded('re_1'),
      refundCreated('re_2', 200),
    );
    expect(amountRefunded(payment)).toBe(300);
    expect(amountRefundable(payment)).toBe(500);
  });

  it('give a failed refund’s amount back to refund again', () => {
    const payment = after(refundCreated('re_1', 1000), refundFailed('re_1'));
    expect(amountRefunded(payment)).toBe(0);
    expect(amountRefundable(payment)).toBe(1000);
  });

  it('are bounded by what a partial capture took, not the amount authorized', () => {
    const payment = paymentOf(fold([createdManual(), authorized(), captured(400)]));
    expect(amountRefundable(payment)).toBe(400);
  });

  it('leave nothing to refund before a capture', () => {
    expect(amountRefundable(paymentOf(fold([createdManual(), authorized()])))).toBe(0);
  });
});
