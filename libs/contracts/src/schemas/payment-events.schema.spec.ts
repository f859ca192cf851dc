import { newId } from '../ids';
import type { Payment, PaymentEvent } from '../payments';
import { paymentEventSchemas } from './payment-events.schema';
import { paymentEventSchemasV1 } from './payment-events.v1.schema';
import { validatePublicEvent } from './validate';
import { PublicSchemaVersions } from '../events';

const payment = (overrides: Partial<Payment> = {}): Payment => ({
  id: newId('pay'),
  object: 'payment',
  status: 'pending',
  amount: { value: 1000, currency: 'USD' },
  amount_captured: { value: 0, currency: 'USD' },
  amount_refunded: { value: 0, currency: 'USD' },
  capture_method: 'automatic',
  capture_before: null,
  payment_method: {
    id: newId('pm'),
    type: 'card',
    card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030 },
  },
  customer: null,
  failure: null,
  canceled_at: null,
  cancellation_reason: null,
  refunds: [],
  created_at: '2026-03-15T10:30:00.123Z',
  metadata: { order_id: 'order_123' },
  ...overrides,
});

const envelope = (type: PaymentEvent['type'], object: Payment, sequence: number): PaymentEvent => ({
  id: newId('evt'),
  type,
  schema_version: PublicSchemaVersions[type],
  created_at: '2026-03-15T10:30:00.456Z',
  merchant_id: newId('mer'),
  data: { object },
  sequence,
});

const failed = payment({
  status: 'failed',
  failure: { code: 'card_declined', decline_code: 'insufficient_funds', message: 'Declined.' },
});

const captured = payment({
  status: 'succeeded',
  amount_captured: { value: 1000, currency: 'USD' },
});

const manual = { capture_method: 'manual', capture_before: '2026-03-22T10:30:01.250Z' } as const;
const authorized = payment({ ...manual, status: 'requires_capture' });
const canceled = payment({
  ...manual,
  status: 'canceled',
  canceled_at: '2026-03-16T08:00:00.000Z',
  cancellation_reason: 'requested_by_customer',
});

describe('payment event schemas', () => {
  it('accepts created, succeeded and failed envelopes', () => {
    expect(validatePublicEvent(envelope('payment.created', payment(), 1))).toEqual([]);
    expect(validatePublicEvent(envelope('payment.succeeded', captured, 2))).toEqual([]);
    expect(validatePublicEvent(envelope('payment.failed', failed, 2))).toEqual([]);
    expect(
      validatePublicEvent(envelope('payment.failed', { ...failed, customer: newId('cust') }, 2)),
    ).toEqual([]);
  });

  it('accepts the manual capture path: requires_capture, then a partial capture, or a cancel', () => {
    expect(validatePublicEvent(envelope('payment.requires_capture', authorized, 2))).toEqual([]);
    const partial = {
      ...captured,
      ...manual,
      amount_captured: { value: 600, currency: 'USD' },
      amount_refunded: { value: 250, currency: 'USD' },
      refunds: [newId('re'), newId('re')],
    };
    expect(validatePublicEvent(envelope('payment.succeeded', partial, 3))).toEqual([]);
    expect(validatePublicEvent(envelope('payment.canceled', canceled, 3))).toEqual([]);
    const expired = { ...canceled, cancellation_reason: 'automatic' } as const;
    expect(validatePublicEvent(envelope('payment.canceled', expired, 3))).toEqual([]);
    const unexplained = { ...canceled, cancellation_reason: null };
    expect(validatePublicEvent(envelope('payment.canceled', unexplained, 3))).toEqual([]);
  });

  it('publishes a draft 2020-12 schema with a stable $id per type and version', () => {
    expect(paymentEventSchemas['payment.failed']).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'https://api.finfusion.cloud/schemas/events/payment.failed.v2.json',
    });
    expect(paymentEventSchemas['payment.canceled']).toMatchObject({
      $id: 'https://api.finfusion.cloud/schemas/events/payment.canceled.v1.json',
    });
    expect(paymentEventSchemasV1['payment.failed']).toMatchObject({
      $id: 'https://api.finfusion.cloud/schemas/events/payment.failed.v1.json',
    });
  });

  it('refuses an event of a superseded version: the services publish the current one', () => {
    const stale = { ...envelope('payment.created', payment(), 1), schema_version: 1 };
    expect(validatePublicEvent(stale).join('\n')).toMatch(/schema_version/);
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
      'an automatic payment that requires capture',
      () => envelope('payment.requires_capture', { ...authorized, capture_method: 'automatic' }, 2),
      /capture_method/,
    ],
    [
      'a payment that requires capture without its deadline',
      () => envelope('payment.requires_capture', { ...authorized, capture_before: null }, 2),
      /capture_before/,
    ],
    [
      'a canceled payment without canceled_at',
      () => envelope('payment.canceled', { ...canceled, canceled_at: null }, 3),
      /canceled_at/,
    ],
    [
      'a succeeded payment with a cancellation reason',
      () => envelope('payment.succeeded', { ...captured, cancellation_reason: 'duplicate' }, 2),
      /cancellation_reason/,
    ],
    [
      'a payment without the fields version 2 requires',
      () => {
        const event = envelope('payment.created', payment(), 1);
        delete (event.data.object as Partial<Payment>).amount_captured;
        return event;
      },
      /amount_captured/,
    ],
    [
      'a negative amount captured',
      () =>
        envelope(
          'payment.succeeded',
          { ...captured, amount_captured: { value: -1, currency: 'USD' } },
          2,
        ),
      /amount_captured\/value/,
    ],
    [
      'a refund id of another kind',
      () => envelope('payment.succeeded', { ...captured, refunds: ['pay_1'] }, 3),
      /refunds/,
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
