import { validatePublicEvent } from '@finfusion/contracts';
import type { StoredEvent } from '@finfusion/event-store';
import type { PaymentEvent } from '../domain/payment.events';
import { created, failed, succeeded } from '../domain/payment.fixture';
import { toPublicEvents } from './payment-event.mapper';

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
      schema_version: 1,
      created_at: '2026-03-15T10:30:01.250Z',
      merchant_id: 'mer_1',
      data: {
        object: {
          id: 'pay_1',
          object: 'payment',
          status: 'succeeded',
          amount: { value: 1000, currency: 'USD' },
          payment_method: {
            id: 'pm_1',
            type: 'card',
            card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030 },
          },
          customer: null,
          failure: null,
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

  it('refuses a stream that does not start with PaymentCreated', () => {
    expect(() => toPublicEvents(stored([succeeded()]))).toThrow(/PaymentCreated/);
  });
});
