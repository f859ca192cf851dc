import 'reflect-metadata';
import type { ArgumentMetadata } from '@nestjs/common';
import { MAX_AMOUNT } from '@finfusion/contracts';
import { ApiError } from '../errors/api-error';
import { GatewayValidationPipe } from '../validation/gateway-validation.pipe';
import {
  CancelPaymentRequest,
  cancelPaymentPayload,
  CapturePaymentRequest,
  capturePaymentPayload,
  CreatePaymentRequest,
  DailyReportQuery,
  ListPaymentsQuery,
} from './payment.requests';

// The DTOs through the gateway's own pipe, as a request meets them.
const pipe = new GatewayValidationPipe();

async function check(
  value: unknown,
  metatype: ArgumentMetadata['metatype'],
  type: 'body' | 'query',
) {
  try {
    return { ok: true as const, value: await pipe.transform(value, { type, metatype }) };
  } catch (error) {
    if (error instanceof ApiError) return { ok: false as const, error };
    throw error;
  }
}

const errorOf = async (
  value: unknown,
  metatype: ArgumentMetadata['metatype'] = CreatePaymentRequest,
  type: 'body' | 'query' = 'body',
): Promise<ApiError> => {
  const result = await check(value, metatype, type);
  if (result.ok) throw new Error(`expected ${JSON.stringify(value)} to be refused`);
  return result.error;
};

// A number nobody else uses in these tests, so a leak of it cannot be a coincidence.
const NUMBER = '4716190207394368';
const CVC = '739';

type Body = {
  amount: Record<string, unknown>;
  payment_method: { type: unknown; card: Record<string, unknown> } & Record<string, unknown>;
} & Record<string, unknown>;

const body = (): Body => ({
  amount: { value: 1000, currency: 'USD' },
  payment_method: {
    type: 'card',
    card: { number: NUMBER, exp_month: 12, exp_year: 2030, cvc: CVC },
  },
  metadata: { order_id: 'order_123' },
});

const withCard = (card: Record<string, unknown>): Body => {
  const b = body();
  b.payment_method.card = { ...b.payment_method.card, ...card };
  return b;
};

describe('CreatePaymentRequest', () => {
  it('accepts the API reference example with a future expiry, and an optional customer', async () => {
    const result = await check(
      { ...body(), customer: 'cust_7Hc2kQx9Lm4Tz1Vb8Np3Rw' },
      CreatePaymentRequest,
      'body',
    );
    expect(result.ok).toBe(true);
    expect(result.ok && result.value).toBeInstanceOf(CreatePaymentRequest);
  });

  it.each(['automatic', 'manual'])('accepts capture_method %s', async (captureMethod) => {
    const result = await check(
      { ...body(), capture_method: captureMethod },
      CreatePaymentRequest,
      'body',
    );
    expect(result.ok && result.value).toMatchObject({ capture_method: captureMethod });
  });

  it('accepts null metadata and a null customer, as absent', async () => {
    const result = await check(
      { ...body(), metadata: null, customer: null },
      CreatePaymentRequest,
      'body',
    );
    expect(result.ok).toBe(true);
  });

  // Each field reaches its rule (libs/contracts, where the rules are tested) and its problem
  // reaches the answer: one or two cases a field, its code and param.
  it.each<[string, (b: Body) => unknown, string, string]>([
    ['a missing amount', ({ amount: _, ...b }) => b, 'parameter_missing', 'amount'],
    ['a null amount', (b) => ({ ...b, amount: null }), 'parameter_missing', 'amount'],
    ['an amount that is no object', (b) => ({ ...b, amount: 1000 }), 'parameter_invalid', 'amount'],
    [
      'a string amount.value',
      (b) => ({ ...b, amount: { value: '1000', currency: 'USD' } }),
      'parameter_invalid',
      'amount.value',
    ],
    [
      'a zero amount',
      (b) => ({ ...b, amount: { value: 0, currency: 'USD' } }),
      'amount_too_small',
      'amount.value',
    ],
    [
      'an amount over the maximum',
      (b) => ({ ...b, amount: { value: MAX_AMOUNT + 1, currency: 'USD' } }),
      'amount_too_large',
      'amount.value',
    ],
    [
      'a missing currency',
      (b) => ({ ...b, amount: { value: 1 } }),
      'parameter_missing',
      'amount.currency',
    ],
    [
      'a lower-case currency',
      (b) => ({ ...b, amount: { value: 1, currency: 'usd' } }),
      'invalid_currency',
      'amount.currency',
    ],
    [
      'an unknown field in amount',
      (b) => ({ ...b, amount: { ...b.amount, cents: true } }),
      'parameter_unknown',
      'amount.cents',
    ],
    [
      'a missing payment_method',
      ({ payment_method: _, ...b }) => b,
      'parameter_missing',
      'payment_method',
    ],
    [
      'a payment_method that is no object',
      (b) => ({ ...b, payment_method: 'card' }),
      'parameter_invalid',
      'payment_method',
    ],
    [
      'a payment_method.type other than card',
      (b) => ({ ...b, payment_method: { ...b.payment_method, type: 'sepa' } }),
      'parameter_invalid',
      'payment_method.type',
    ],
    [
      'a missing card',
      (b) => ({ ...b, payment_method: { type: 'card' } }),
      'parameter_missing',
      'payment_method.card',
    ],
    [
      'a card that is no object',
      (b) => ({ ...b, payment_method: { type: 'card', card: 'tok_visa' } }),
      'parameter_invalid',
      'payment_method.card',
    ],
    [
      'an unknown field in payment_method',
      (b) => ({ ...b, payment_method: { ...b.payment_method, token: 'x' } }),
      'parameter_unknown',
      'payment_method.token',
    ],
    [
      'a null number',
      () => withCard({ number: null }),
      'parameter_missing',
      'payment_method.card.number',
    ],
    [
      'a number sent as a JSON number',
      () => withCard({ number: Number(NUMBER) }),
      'parameter_invalid',
      'payment_method.card.number',
    ],
    [
      'a number that fails Luhn',
      () => withCard({ number: '4716190207394369' }),
      'invalid_number',
      'payment_method.card.number',
    ],
    [
      'exp_month 13',
      () => withCard({ exp_month: 13 }),
      'invalid_expiry_month',
      'payment_method.card.exp_month',
    ],
    [
      'a two-digit exp_year',
      () => withCard({ exp_year: 30 }),
      'invalid_expiry_year',
      'payment_method.card.exp_year',
    ],
    [
      'a missing cvc',
      (b) => withCard({ ...b.payment_method.card, cvc: undefined }),
      'parameter_missing',
      'payment_method.card.cvc',
    ],
    [
      'a 3-digit cvc on an American Express card',
      () => withCard({ number: '378282246310005', cvc: '739' }),
      'invalid_cvc',
      'payment_method.card.cvc',
    ],
    [
      'an unknown field in card',
      () => withCard({ name: 'J Doe' }),
      'parameter_unknown',
      'payment_method.card.name',
    ],
    [
      'a customer that is no string',
      (b) => ({ ...b, customer: 42 }),
      'parameter_invalid',
      'customer',
    ],
    [
      'a customer that is no customer id',
      (b) => ({ ...b, customer: 'pay_123' }),
      'resource_missing',
      'customer',
    ],
    [
      'a metadata value that is no string',
      (b) => ({ ...b, metadata: { order_id: 5 } }),
      'invalid_metadata',
      'metadata.order_id',
    ],
    [
      'a metadata key over 40 characters',
      (b) => ({ ...b, metadata: { ['k'.repeat(41)]: 'v' } }),
      'invalid_metadata',
      `metadata.${'k'.repeat(41)}`,
    ],
    [
      'a card number in a metadata value',
      (b) => ({ ...b, metadata: { note: `card ${NUMBER}` } }),
      'invalid_metadata',
      'metadata',
    ],
    [
      'an unknown top-level field',
      (b) => ({ ...b, description: 'x' }),
      'parameter_unknown',
      'description',
    ],
    [
      'an unknown capture_method',
      (b) => ({ ...b, capture_method: 'later' }),
      'parameter_invalid',
      'capture_method',
    ],
    [
      'a capture_method in upper case',
      (b) => ({ ...b, capture_method: 'MANUAL' }),
      'parameter_invalid',
      'capture_method',
    ],
    [
      'a null capture_method',
      (b) => ({ ...b, capture_method: null }),
      'parameter_invalid',
      'capture_method',
    ],
  ])('refuses %s with %s naming %s', async (_case, mutate, code, param) => {
    const error = await errorOf(mutate(body()));
    expect(error.status).toBe(400);
    expect(error.body).toMatchObject({ type: 'invalid_request_error', code, param });
    expect(error.body.message.endsWith('.')).toBe(true);
    // No answer repeats the card's number or CVC.
    expect(JSON.stringify(error.body)).not.toContain(NUMBER);
    expect(JSON.stringify(error.body)).not.toContain('47161902');
    expect(JSON.stringify(error.body)).not.toContain(CVC);
  });

  it('reports the first problem in the order the service checks: amount, then the card', async () => {
    const b = withCard({ number: '1234', cvc: 'x' });
    b.amount = { value: 0, currency: 'USD' };
    expect((await errorOf(b)).body.code).toBe('amount_too_small');
    expect((await errorOf(withCard({ number: '1234', cvc: 'x' }))).body.code).toBe(
      'invalid_number',
    );
  });

  it.each([
    [
      'a card number as an unknown top-level key',
      (b: Body) => ({ ...b, [NUMBER]: CVC }),
      undefined,
    ],
    [
      'a card number as an unknown key in card',
      () => withCard({ [NUMBER]: CVC }),
      'payment_method.card',
    ],
    [
      'a grouped card number as a key',
      () => withCard({ '4716 1902 0739 4368': CVC }),
      'payment_method.card',
    ],
    [
      'a card number as a metadata key with a bad value',
      (b: Body) => ({ ...b, metadata: { [`${NUMBER}x`]: 5 } }),
      'metadata',
    ],
    [
      'a NUL character in a key holding a card number',
      (b: Body) => ({ ...b, metadata: { [`${NUMBER}\u0000`]: 'x' } }),
      'metadata',
    ],
  ])('never echoes %s', async (_case, mutate, param) => {
    const error = await errorOf(mutate(body()));
    expect(error.status).toBe(400);
    expect(error.body.param).toBe(param);
    expect(JSON.stringify(error.body)).not.toMatch(/4716[ -]?1902/);
  });

  it('refuses a body that is an array', async () => {
    expect((await errorOf([body()])).body.code).toBe('invalid_body');
  });
});

describe('CapturePaymentRequest', () => {
  it.each([{}, { amount_to_capture: 1 }, { amount_to_capture: MAX_AMOUNT }])(
    'accepts %j',
    async (value) => {
      const result = await check(value, CapturePaymentRequest, 'body');
      expect(result.ok && result.value).toBeInstanceOf(CapturePaymentRequest);
    },
  );

  it.each<[unknown, string, string]>([
    [{ amount_to_capture: '500' }, 'parameter_invalid', 'amount_to_capture'],
    [{ amount_to_capture: 5.5 }, 'parameter_invalid', 'amount_to_capture'],
    [{ amount_to_capture: null }, 'parameter_invalid', 'amount_to_capture'],
    [{ amount_to_capture: { value: 500 } }, 'parameter_invalid', 'amount_to_capture'],
    [{ amount_to_capture: 0 }, 'amount_too_small', 'amount_to_capture'],
    [{ amount_to_capture: -1 }, 'amount_too_small', 'amount_to_capture'],
    [{ amount_to_capture: MAX_AMOUNT + 1 }, 'amount_too_large', 'amount_to_capture'],
    [{ amount: 500 }, 'parameter_unknown', 'amount'],
  ])('refuses %j with %s naming %s', async (value, code, param) => {
    const error = await errorOf(value, CapturePaymentRequest);
    expect(error.status).toBe(400);
    expect(error.body).toMatchObject({ type: 'invalid_request_error', code, param });
    expect(error.body.message.endsWith('.')).toBe(true);
  });

  it('sends the path id, and amount_to_capture only when given', () => {
    expect(capturePaymentPayload('pay_1', {})).toEqual({ id: 'pay_1' });
    expect(capturePaymentPayload('pay_1', { amount_to_capture: 750 })).toEqual({
      id: 'pay_1',
      amount_to_capture: 750,
    });
  });
});

describe('CancelPaymentRequest', () => {
  it.each([
    {},
    ...['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'].map((reason) => ({
      cancellation_reason: reason,
    })),
  ])('accepts %j', async (value) => {
    expect((await check(value, CancelPaymentRequest, 'body')).ok).toBe(true);
  });

  it.each<[unknown, string, string]>([
    // The platform's own reason, for an authorization that expired: not one a merchant gives.
    [{ cancellation_reason: 'automatic' }, 'parameter_invalid', 'cancellation_reason'],
    [{ cancellation_reason: 'changed_mind' }, 'parameter_invalid', 'cancellation_reason'],
    [{ cancellation_reason: 1 }, 'parameter_invalid', 'cancellation_reason'],
    [{ cancellation_reason: null }, 'parameter_invalid', 'cancellation_reason'],
    [{ reason: 'duplicate' }, 'parameter_unknown', 'reason'],
  ])('refuses %j with %s naming %s', async (value, code, param) => {
    const error = await errorOf(value, CancelPaymentRequest);
    expect(error.status).toBe(400);
    expect(error.body).toMatchObject({ type: 'invalid_request_error', code, param });
  });

  it('names the reasons it takes', async () => {
    expect((await errorOf({ cancellation_reason: 'x' }, CancelPaymentRequest)).body.message).toBe(
      'cancellation_reason must be one of duplicate, fraudulent, requested_by_customer, abandoned.',
    );
  });

  it('sends the path id, and cancellation_reason only when given', () => {
    expect(cancelPaymentPayload('pay_1', {})).toEqual({ id: 'pay_1' });
    expect(cancelPaymentPayload('pay_1', { cancellation_reason: 'duplicate' })).toEqual({
      id: 'pay_1',
      cancellation_reason: 'duplicate',
    });
  });
});

describe('ListPaymentsQuery', () => {
  const query = (q: Record<string, unknown>) => check(q, ListPaymentsQuery, 'query');
  const queryError = (q: Record<string, unknown>) => errorOf(q, ListPaymentsQuery, 'query');

  it('accepts every filter, the created range under its bracketed names', async () => {
    const result = await query({
      limit: '5',
      starting_after: 'pay_3kTz9Qw2Lm8Xc4Vb7Np1Rs',
      status: 'failed',
      customer: 'cust_7Hc2kQx9Lm4Tz1Vb8Np3Rw',
      'created[gte]': '2026-03-01T00:00:00Z',
      'created[lte]': '2026-03-31T23:59:59.999+02:00',
    });
    expect(result.ok).toBe(true);
    expect(result.ok && result.value).toMatchObject({ limit: 5, status: 'failed' });
  });

  it.each([
    [{ status: 'done' }, 'status'],
    [{ customer: 'cus_1' }, 'customer'],
    [{ 'created[gte]': '2026-03-01' }, 'created[gte]'],
    [{ 'created[lte]': 'yesterday' }, 'created[lte]'],
    [{ starting_after: 'cust_7Hc2kQx9Lm4Tz1Vb8Np3Rw' }, 'starting_after'],
    [{ ending_before: 'not-an-id' }, 'ending_before'],
    [{ starting_after: 'pay_a', ending_before: 'pay_b' }, 'ending_before'],
    [{ limit: '0' }, 'limit'],
    [{ 'created[gt]': '2026-03-01T00:00:00Z' }, 'created[gt]'],
  ])('refuses %j naming %s', async (q, param) => {
    const error = await queryError(q);
    expect(error.status).toBe(400);
    expect(error.body.param).toBe(param);
    expect(['parameter_invalid', 'parameter_unknown']).toContain(error.body.code);
  });
});

describe('DailyReportQuery', () => {
  const report = (q: Record<string, unknown>) => check(q, DailyReportQuery, 'query');

  it('accepts a range of up to 366 days and an optional currency', async () => {
    expect((await report({ from: '2026-01-01', to: '2026-12-31', currency: 'JPY' })).ok).toBe(true);
    expect((await report({ from: '2028-01-01', to: '2028-12-31' })).ok).toBe(true);
    expect((await report({ from: '2026-03-15', to: '2026-03-15' })).ok).toBe(true);
  });

  it.each([
    [{ to: '2026-03-31' }, 'parameter_missing', 'from'],
    [{ from: '2026-03-01' }, 'parameter_missing', 'to'],
    [{ from: '2026-02-30', to: '2026-03-31' }, 'parameter_invalid', 'from'],
    [{ from: '2026-03-01', to: '2026-03-01T00:00:00Z' }, 'parameter_invalid', 'to'],
    [{ from: '2026-03-31', to: '2026-03-01' }, 'parameter_invalid', 'to'],
    [{ from: '2026-03-01', to: '2026-03-31', currency: 'usd' }, 'parameter_invalid', 'currency'],
    [{ from: '2026-03-01', to: '2026-03-31', status: 'failed' }, 'parameter_unknown', 'status'],
  ])('refuses %j with %s naming %s', async (q, code, param) => {
    const error = await errorOf(q, DailyReportQuery, 'query');
    expect(error.body).toMatchObject({ code, param });
  });

  it('says why a range is refused', async () => {
    expect(
      (await errorOf({ from: '2026-01-01', to: '2027-01-02' }, DailyReportQuery, 'query')).body
        .message,
    ).toBe('A report covers at most 366 days.');
  });
});
