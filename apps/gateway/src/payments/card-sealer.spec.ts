import 'reflect-metadata';
import { cardTransitKey, openCardSecrets, type CardDetails } from '@finfusion/contracts';
import { GatewayConfig } from '../config';
import { CardSealer, createPaymentPayload } from './card-sealer';
import { listPaymentsPayload } from './payments.controller';
import type { CreatePaymentRequest } from './payment.requests';

const config = Object.assign(new GatewayConfig(), {
  CARD_TRANSIT_KEY: 'a-test-transit-key-of-at-least-32-characters',
});
const key = cardTransitKey(config.CARD_TRANSIT_KEY);
const card: CardDetails = { number: '4716190207394368', exp_month: 7, exp_year: 2031, cvc: '739' };

const request = (overrides: Partial<CreatePaymentRequest> = {}): CreatePaymentRequest => ({
  amount: { value: 1500, currency: 'EUR' },
  payment_method: { type: 'card', card: { ...card } },
  ...overrides,
});

describe('CardSealer', () => {
  const sealer = new CardSealer(config);

  it('seals the number and CVC for the merchant, keeping the expiry in the clear', () => {
    const sealed = sealer.seal(card, 'mer_1');
    expect(sealed).toEqual({ exp_month: 7, exp_year: 2031, sealed: expect.any(String) as string });
    expect(JSON.stringify(sealed)).not.toContain('4716190207394368');
    expect(JSON.stringify(sealed)).not.toContain('739');
    expect(openCardSecrets(sealed.sealed, key, 'mer_1')).toEqual({
      number: '4716190207394368',
      cvc: '739',
    });
  });

  it('binds the seal to the merchant', () => {
    expect(openCardSecrets(sealer.seal(card, 'mer_1').sealed, key, 'mer_2')).toBeNull();
  });

  it('seals each request anew, so equal cards do not look equal on the wire', () => {
    expect(sealer.seal(card, 'mer_1').sealed).not.toBe(sealer.seal(card, 'mer_1').sealed);
  });
});

describe('createPaymentPayload', () => {
  const seal = (c: CardDetails) => ({ exp_month: c.exp_month, exp_year: c.exp_year, sealed: 'S' });

  it('sends amount and the sealed card, and nothing of the number or CVC', () => {
    const payload = createPaymentPayload(request(), seal);
    expect(payload).toEqual({
      amount: { value: 1500, currency: 'EUR' },
      payment_method: { type: 'card', card: { exp_month: 7, exp_year: 2031, sealed: 'S' } },
    });
  });

  it('passes customer and metadata when given, and drops them when null', () => {
    expect(
      createPaymentPayload(request({ customer: 'cust_1', metadata: { order_id: 'o_1' } }), seal),
    ).toMatchObject({ customer: 'cust_1', metadata: { order_id: 'o_1' } });
    const payload = createPaymentPayload(request({ customer: null, metadata: null }), seal);
    expect('customer' in payload).toBe(false);
    expect('metadata' in payload).toBe(false);
  });

  it('passes the capture method when given, and leaves the default to the service', () => {
    expect(createPaymentPayload(request({ capture_method: 'manual' }), seal)).toMatchObject({
      capture_method: 'manual',
    });
    expect('capture_method' in createPaymentPayload(request(), seal)).toBe(false);
  });
});

describe('listPaymentsPayload', () => {
  it('applies the default limit and sends no filter that was not given', () => {
    expect(listPaymentsPayload({})).toEqual({ limit: 10 });
  });

  it('nests the created range as payments.list takes it', () => {
    expect(
      listPaymentsPayload({
        limit: 3,
        ending_before: 'pay_1',
        status: 'succeeded',
        customer: 'cust_1',
        'created[gte]': '2026-03-01T00:00:00Z',
        'created[lte]': '2026-03-31T23:59:59Z',
      }),
    ).toEqual({
      limit: 3,
      ending_before: 'pay_1',
      status: 'succeeded',
      customer: 'cust_1',
      created: { gte: '2026-03-01T00:00:00Z', lte: '2026-03-31T23:59:59Z' },
    });
    expect(listPaymentsPayload({ 'created[lte]': '2026-03-31T23:59:59Z' })).toEqual({
      limit: 10,
      created: { lte: '2026-03-31T23:59:59Z' },
    });
  });
});
