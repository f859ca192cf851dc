import { fold } from '../../domain/payment';
import type { PaymentEvent } from '../../domain/payment.events';
import {
  authorized,
  created,
  createdManual,
  failed,
  refundCreated,
  succeeded,
} from '../../domain/payment.fixture';
import { toPaymentResource } from '../../payment.resource';
import { fromRow, rowHolds, toResource, toRow } from './payment-read-model';

describe('payment read model rows', () => {
  it.each([
    ['pending', [created()]],
    ['succeeded', [created({ customerId: 'cust_1' }), succeeded()]],
    ['failed', [created(), failed()]],
  ])('answers a %s payment exactly as its folded stream does', (_, events) => {
    const payment = fold(events);
    if (payment.status === 'none') throw new Error('no payment');
    // The row holds the whole folded payment, so GET answers through the reply's own mapper.
    expect(fromRow(toRow(payment, events.length))).toEqual(payment);
    expect(toResource(toRow(payment, events.length))).toEqual(toPaymentResource(payment));
  });

  it.each<[string, PaymentEvent[]]>([
    ['a manual payment', [createdManual()]],
    ['a payment that requires capture', [createdManual(), authorized()]],
    ['a refunded payment', [created(), succeeded(), refundCreated('re_1', 100)]],
  ])('refuses %s, which it has no columns for yet, rather than store it partly', (_, events) => {
    const payment = fold(events);
    if (payment.status === 'none') throw new Error('no payment');
    expect(rowHolds(payment)).toBe(false);
    expect(() => toRow(payment, events.length)).toThrow(/no columns for manual capture/);
  });

  it('keeps the fingerprint and version in the row, not in the resource', () => {
    const payment = fold([created()]);
    if (payment.status === 'none') throw new Error('no payment');
    const row = toRow(payment, 1);
    expect(row).toMatchObject({ card_fingerprint: 'f'.repeat(64), version: 1 });
    expect(JSON.stringify(toResource(row))).not.toContain('f'.repeat(64));
  });
});
