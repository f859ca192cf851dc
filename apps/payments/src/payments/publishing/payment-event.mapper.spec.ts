import { validatePublicEvent } from '@finfusion/contracts';
import type { StoredEvent } from '@finfusion/event-store';
import type { PaymentEvent } from '../domain/payment.events';
import { PaymentEventTypes as StoredTypes, type PaymentEventType } from '../domain/payment.events';
import {
  authorized,
  canceled,
  CAPTURE_BEFORE,
  captured,
  created,
  createdManual,
  failed,
  refundCreated,
  refundFailed,
  refundSucceeded,
  succeeded,
} from '../domain/payment.fixture';
import { publicTypeOf, toPublicEvents } from './payment-event.mapper';
import { PublicEventTypes } from '@finfusion/contracts';

const stored = (events: PaymentEvent[], paymentId = 'pay_1'): StoredEvent[] =>
  events.map((event, i) => ({
    globalPosition: String(100 + i),
    transactionId: '900',
    streamId: paymentId,
    streamVersion: i + 1,
    eventId: `evt_${i + 1}abc`,
    type: event.type,
    schemaVersion: 1,
    data: event.data,
    metadata: { merchantId: 'mer_1', requestId: 'req_1', correlationId: 'cor_1' },
    recordedAt: new Date('2026-03-15T10:30:05Z'),
  }));

describe('toPublicEvents', () => {
  it('maps a succeeded stream to schema-valid envelopes, each with the payment after it', () => {
    const envelopes = toPublicEvents(stored([created(), succeeded()]));
    expect(envelopes.map((e) => [e.id, e.type, e.sequence, e.data.object.status])).toEqual([
      ['evt_1abc', 'payment.created', 1, 'pending'],
      ['evt_2abc', 'payment.succeeded', 2, 'succeeded'],
    ]);
    for (const envelope of envelopes) expect(validatePublicEvent(envelope)).toEqual([]);
    expect(envelopes[1]).toEqual({
      id: 'evt_2abc',
      type: 'payment.succeeded',
      schema_version: 2,
      created_at: '2026-03-15T10:30:01.250Z',
      merchant_id: 'mer_1',
      data: {
        object: {
          id: 'pay_1',
          object: 'payment',
          status: 'succeeded',
          amount: { value: 1000, currency: 'USD' },
          amount_captured: { value: 1000, currency: 'USD' },
          amount_refunded: { value: 0, currency: 'USD' },
          capture_method: 'automatic',
          capture_before: null,
          payment_method: {
            id: 'pm_1',
            type: 'card',
            card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030 },
          },
          customer: null,
          failure: null,
          canceled_at: null,
          cancellation_reason: null,
          refunds: [],
          created_at: '2026-03-15T10:30:00.000Z',
          metadata: { order_id: 'order_123' },
        },
      },
      sequence: 2,
    });
  });

  it('maps a failed stream with its failure, decline code included', () => {
    const [, failure] = toPublicEvents(stored([created({ customerId: 'cust_9' }), failed()]));
    expect(validatePublicEvent(failure)).toEqual([]);
    expect(failure?.data.object).toMatchObject({
      status: 'failed',
      customer: 'cust_9',
      failure: {
        code: 'card_declined',
        decline_code: 'insufficient_funds',
        message: 'Your card has insufficient funds.',
      },
    });
  });

  it('never publishes the fingerprint, the merchant inside the object or a version', () => {
    const [envelope] = toPublicEvents(stored([created()]));
    const text = JSON.stringify(envelope?.data.object);
    expect(text).not.toContain('fingerprint');
    expect(text).not.toContain('f'.repeat(64));
    expect(text).not.toContain('mer_1');
  });

  it('maps a manual capture: requires_capture, then succeeded with the part captured', () => {
    const envelopes = toPublicEvents(stored([createdManual(), authorized(), captured(600)]));
    for (const envelope of envelopes) expect(validatePublicEvent(envelope)).toEqual([]);
    expect(envelopes.map((e) => [e.type, e.schema_version, e.sequence])).toEqual([
      ['payment.created', 2, 1],
      ['payment.requires_capture', 1, 2],
      ['payment.succeeded', 2, 3],
    ]);
    expect(envelopes[1]?.data.object).toMatchObject({
      status: 'requires_capture',
      capture_method: 'manual',
      capture_before: CAPTURE_BEFORE.toISOString(),
      amount_captured: { value: 0, currency: 'USD' },
    });
    expect(envelopes[2]?.data.object).toMatchObject({
      status: 'succeeded',
      amount: { value: 1000, currency: 'USD' },
      amount_captured: { value: 600, currency: 'USD' },
    });
    expect(envelopes[2]?.created_at).toBe('2026-03-16T09:00:00.000Z');
  });

  it('maps a cancellation with its time and reason', () => {
    const [, , cancellation] = toPublicEvents(
      stored([createdManual(), authorized(), canceled('automatic')]),
    );
    expect(validatePublicEvent(cancellation)).toEqual([]);
    expect(cancellation).toMatchObject({
      type: 'payment.canceled',
      schema_version: 1,
      sequence: 3,
      data: {
        object: {
          status: 'canceled',
          canceled_at: '2026-03-16T09:00:00.000Z',
          cancellation_reason: 'automatic',
        },
      },
    });
  });

  it('maps refund events to the refund, on the payment stream’s sequence', () => {
    const envelopes = toPublicEvents(
      stored([
        created(),
        succeeded(),
        refundCreated('re_1', 300, { reason: 'requested_by_customer', metadata: { t: '1' } }),
        refundCreated('re_2', 200),
        refundSucceeded('re_1'),
        refundFailed('re_2'),
      ]),
    );
    for (const envelope of envelopes) expect(validatePublicEvent(envelope)).toEqual([]);
    expect(envelopes.slice(2).map((e) => [e.type, e.sequence, e.data.object.id])).toEqual([
      ['refund.created', 3, 're_1'],
      ['refund.created', 4, 're_2'],
      ['refund.succeeded', 5, 're_1'],
      ['refund.failed', 6, 're_2'],
    ]);
    expect(envelopes[4]).toMatchObject({
      merchant_id: 'mer_1',
      schema_version: 1,
      data: {
        object: {
          id: 're_1',
          object: 'refund',
          payment: 'pay_1',
          amount: { value: 300, currency: 'USD' },
          status: 'succeeded',
          reason: 'requested_by_customer',
          failure: null,
          metadata: { t: '1' },
          created_at: '2026-03-16T09:00:00.000Z',
        },
      },
    });
    expect(JSON.stringify(envelopes[4])).not.toContain('ref_re_1');
    expect(envelopes[5]?.data.object).toMatchObject({
      status: 'failed',
      failure: { code: 'declined', message: 'The card issuer declined the refund.' },
    });
  });

  it('publishes every stored type as a public one, every public payment type from one', () => {
    const published = StoredTypes.map((type: PaymentEventType) => publicTypeOf(type));
    const onThisStream = PublicEventTypes.filter((type) => !type.startsWith('customer.'));
    expect(new Set(published)).toEqual(new Set(onThisStream));
  });

  it('refuses a stream that does not start with PaymentCreated', () => {
    expect(() => toPublicEvents(stored([succeeded()]))).toThrow(/PaymentCreated/);
  });
});
