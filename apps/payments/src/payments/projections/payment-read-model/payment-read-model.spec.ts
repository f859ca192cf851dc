import { fold, type Payment } from '../../domain/payment';
import type { PaymentEvent } from '../../domain/payment.events';
import {
  authorized,
  canceled,
  captured,
  created,
  createdManual,
  failed,
  refundCreated,
  refundFailed,
  refundSucceeded,
  succeeded,
  T2,
} from '../../domain/payment.fixture';
import { toPaymentResource, toRefundResource } from '../../payment.resource';
import {
  fromRefundRow,
  fromRow,
  refundsChangedLast,
  toRefundResourceOf,
  toRefundRow,
  toResource,
  toRow,
} from './payment-read-model';

const paymentOf = (events: readonly PaymentEvent[]): Payment => {
  const payment = fold(events);
  if (payment.status === 'none') throw new Error('no payment');
  return payment;
};

/** A row as Postgres gives it back: JSON columns parsed, timestamps as dates. */
const throughJson = <T>(row: T): T => JSON.parse(JSON.stringify(row)) as T;

const T3 = new Date(T2.getTime() + 60_000);

describe('payment read model rows', () => {
  it.each<[string, PaymentEvent[]]>([
    ['pending', [created()]],
    ['succeeded', [created({ customerId: 'cust_1' }), succeeded()]],
    ['failed', [created(), failed()]],
    ['manual, not yet authorized', [createdManual()]],
    ['requiring capture', [createdManual(), authorized()]],
    ['captured in part', [createdManual(), authorized(), captured(600)]],
    ['canceled', [createdManual(), authorized(), canceled()]],
    ['canceled on expiry', [createdManual(), authorized(), canceled('automatic')]],
    [
      'refunded in part, with a failed refund',
      [
        created(),
        succeeded(),
        refundCreated('re_1', 100),
        refundSucceeded('re_1'),
        refundCreated('re_2', 50, { reason: 'duplicate', metadata: { order: '7' } }),
        refundFailed('re_2'),
        refundCreated('re_3', 25),
      ],
    ],
  ])('answers a payment %s exactly as its folded stream does', (_, events) => {
    const payment = paymentOf(events);
    // The row holds the whole folded payment, so GET answers through the reply's own mapper.
    const row = toRow(payment, events.length);
    expect(fromRow(row)).toEqual(payment);
    expect(toResource(row)).toEqual(toPaymentResource(payment));
    expect(fromRow(Object.assign(row, { refunds: throughJson(row.refunds) }))).toEqual(payment);
  });

  it('keeps what the succeeded refunds gave back in a column of its own', () => {
    const payment = paymentOf([
      created(),
      succeeded(),
      refundCreated('re_1', 100),
      refundSucceeded('re_1'),
      refundCreated('re_2', 300),
      refundFailed('re_2'),
    ]);
    expect(toRow(payment, 6)).toMatchObject({ amount_captured: 1000, amount_refunded: 100 });
  });

  it('answers each refund from its row as from the folded stream', () => {
    const payment = paymentOf([
      created(),
      succeeded(),
      refundCreated('re_1', 100, { reason: 'fraudulent', metadata: { k: 'v' } }),
      refundFailed('re_1'),
      refundCreated('re_2', 200),
    ]);
    for (const refund of payment.refunds) {
      const row = toRefundRow(payment, refund, 5);
      expect(fromRefundRow(row)).toEqual(refund);
      expect(toRefundResourceOf(row)).toEqual(toRefundResource(payment, refund));
      expect(row).toMatchObject({ payment_id: payment.id, merchant_id: payment.merchantId });
    }
  });

  it('writes only the refunds the latest events changed', () => {
    const history = [created(), succeeded(), refundCreated('re_1', 100), refundSucceeded('re_1')];
    expect(refundsChangedLast(paymentOf(history)).map((r) => r.id)).toEqual(['re_1']);
    const later = [...history, refundCreated('re_2', 100, { createdAt: T3.toISOString() })];
    expect(refundsChangedLast(paymentOf(later)).map((r) => r.id)).toEqual(['re_2']);
    expect(refundsChangedLast(paymentOf([created(), succeeded()]))).toEqual([]);
  });

  it('keeps the fingerprint and version in the row, not in the resource', () => {
    const payment = paymentOf([created()]);
    const row = toRow(payment, 1);
    expect(row).toMatchObject({ card_fingerprint: 'f'.repeat(64), version: 1 });
    expect(JSON.stringify(toResource(row))).not.toContain('f'.repeat(64));
  });
});
