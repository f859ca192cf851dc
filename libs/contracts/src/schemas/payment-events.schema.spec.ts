import { newId } from '../ids';
import type { Payment, PaymentEvent } from '../payments';
import { paymentEventSchemas } from './payment-events.schema';
import { validatePublicEvent } from './validate';

const payment = (overrides: Partial<Payment> = {}): Payment => ({
  id: newId('pay'),
  object: 'payment',
  status: 'pending',
  amount: { value: 1000, currency: 'USD' },
  payment_method: {
    id: newId('pm'),
    type: 'card',
    card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030 },
  },
  customer: null,
  failure: null,
  created_at: '2026-03-15T10:30:00.123Z',
  metadata: { order_id: 'order_123' },
  ...overrides,
});

const envelope = (type: PaymentEvent['type'], object: Payment, sequence: number): PaymentEvent => ({
  id: newId('evt'),
  type,
  schema_version: 1,
  created_at: '2026-03-15T10:30:00.456Z',
  merchant_id: newId('mer'),
  data: { object },
  sequence,
});

const failed = payment({
  status: 'failed',
  failure: { code: 'card_declined', decline_code: 'insufficient_funds', message: 'Declined.' },
});

describe('payment event schemas', () => {
  it('accepts created, succeeded and failed envelopes', () => {
    expect(validatePublicEvent(envelope('payment.created', payment(), 1))).toEqual([]);
    expect(
      validatePublicEvent(envelope('payment.succeeded', payment({ status: 'succeeded' }), 2)),
    ).toEqual([]);
    expect(validatePublicEvent(envelope('payment.failed', failed, 2))).toEqual([]);
    expect(
      validatePublicEvent(envelope('payment.failed', { ...failed, customer: newId('cust') }, 2)),
    ).toEqual([]);
  });

  it('publishes a draft 2020-12 schema with a stable $id per type', () => {
    expect(paymentEventSchemas['payment.failed']).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'https://api.finfusion.cloud/schemas/events/payment.failed.v1.json',
    });
  });

  it('refuses a card number or CVC leaking into the card', () => {
    const leaked = payment();
    (leaked.payment_method.card as unknown as Record<string, unknown>).number = '4242424242424242';
    expect(validatePublicEvent(envelope('payment.created', leaked, 1)).join('\n')).toMatch(
      /\/data\/object\/payment_method\/card: .*additional properties \(number\)/,
    );
  });

  it.each<[string, () => unknown, RegExp]>([
    [
      'a created payment that is not pending',
      () => envelope('payment.created', failed, 1),
      /status/,
    ],
    ['a creation after version 1', () => envelope('payment.created', payment(), 2), /sequence/],
    ['an outcome at version 1', () => envelope('payment.failed', failed, 1), /sequence/],
    [
      'a failed payment without its failure',
      () => envelope('payment.failed', { ...failed, failure: null }, 2),
      /failure/,
    ],
    [
      'a succeeded payment with a failure',
      () => envelope('payment.succeeded', { ...failed, status: 'succeeded' }, 2),
      /failure/,
    ],
    [
      'an unknown decline code',
      () =>
        envelope(
          'payment.failed',
          {
            ...failed,
            failure: { code: 'card_declined', decline_code: 'x' as never, message: 'm' },
          },
          2,
        ),
      /decline_code/,
    ],
    [
      'an amount in decimals',
      () => envelope('payment.created', payment({ amount: { value: 10.5, currency: 'USD' } }), 1),
      /amount\/value/,
    ],
    [
      'a lower-case currency',
      () => envelope('payment.created', payment({ amount: { value: 1, currency: 'usd' } }), 1),
      /amount\/currency/,
    ],
    [
      'a customer id of another kind',
      () => envelope('payment.created', payment({ customer: 'pay_1' }), 1),
      /customer/,
    ],
  ])('refuses %s', (_, make, problem) => {
    const errors = validatePublicEvent(make());
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(problem);
  });
});
