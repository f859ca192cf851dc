import 'reflect-metadata';
import type { ArgumentMetadata } from '@nestjs/common';
import { MAX_AMOUNT } from '@finfusion/contracts';
import { ApiError } from '../errors/api-error';
import { GatewayValidationPipe } from '../validation/gateway-validation.pipe';
import {
  CreateRefundRequest,
  createRefundPayload,
  ListRefundsQuery,
  listRefundsPayload,
} from './refund.requests';

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

async function errorOf(
  value: unknown,
  metatype: ArgumentMetadata['metatype'],
  type: 'body' | 'query',
): Promise<ApiError> {
  const result = await check(value, metatype, type);
  if (result.ok) throw new Error(`expected ${JSON.stringify(value)} to be refused`);
  return result.error;
}

const PAYMENT = 'pay_3kTz9Qw2Lm8Xc4Vb7Np1Rs';

describe('CreateRefundRequest', () => {
  const refund = (value: unknown) => check(value, CreateRefundRequest, 'body');

  it('accepts a payment alone, and every optional field beside it', async () => {
    expect((await refund({ payment: PAYMENT })).ok).toBe(true);
    const result = await refund({
      payment: PAYMENT,
      amount: 400,
      reason: 'requested_by_customer',
      metadata: { ticket: 'support_4821' },
    });
    expect(result.ok && result.value).toBeInstanceOf(CreateRefundRequest);
    expect((await refund({ payment: PAYMENT, amount: MAX_AMOUNT })).ok).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['a missing payment', { amount: 400 }, 'parameter_missing', 'payment'],
    ['a null payment', { payment: null }, 'parameter_missing', 'payment'],
    ['a payment that is no string', { payment: 42 }, 'parameter_invalid', 'payment'],
    [
      'a refund id as the payment',
      { payment: 're_7Lm4Tz1Vb8Np3Rw7Hc2kQx' },
      'parameter_invalid',
      'payment',
    ],
    ['a payment id with a space', { payment: 'pay_3kTz 9Qw2' }, 'parameter_invalid', 'payment'],
    ['a string amount', { payment: PAYMENT, amount: '400' }, 'parameter_invalid', 'amount'],
    ['a fractional amount', { payment: PAYMENT, amount: 4.5 }, 'parameter_invalid', 'amount'],
    [
      'a Money object as the amount',
      { payment: PAYMENT, amount: { value: 400, currency: 'USD' } },
      'parameter_invalid',
      'amount',
    ],
    ['a null amount', { payment: PAYMENT, amount: null }, 'parameter_invalid', 'amount'],
    ['a zero amount', { payment: PAYMENT, amount: 0 }, 'amount_too_small', 'amount'],
    [
      'an amount over the maximum',
      { payment: PAYMENT, amount: MAX_AMOUNT + 1 },
      'amount_too_large',
      'amount',
    ],
    [
      'an unknown reason',
      { payment: PAYMENT, reason: 'customer_unhappy' },
      'parameter_invalid',
      'reason',
    ],
    ['a null reason', { payment: PAYMENT, reason: null }, 'parameter_invalid', 'reason'],
    [
      'a metadata value that is no string',
      { payment: PAYMENT, metadata: { ticket: 5 } },
      'invalid_metadata',
      'metadata.ticket',
    ],
    [
      'a card number in metadata',
      { payment: PAYMENT, metadata: { note: 'card 4716190207394368' } },
      'invalid_metadata',
      'metadata',
    ],
    ['an unknown field', { payment: PAYMENT, currency: 'USD' }, 'parameter_unknown', 'currency'],
  ])('refuses %s with %s naming %s', async (_case, value, code, param) => {
    const error = await errorOf(value, CreateRefundRequest, 'body');
    expect(error.status).toBe(400);
    expect(error.body).toMatchObject({ type: 'invalid_request_error', code, param });
    expect(error.body.message.endsWith('.')).toBe(true);
    expect(JSON.stringify(error.body)).not.toContain('4716190207394368');
  });

  it('refuses a body that is no object', async () => {
    expect((await errorOf([{ payment: PAYMENT }], CreateRefundRequest, 'body')).body.code).toBe(
      'invalid_body',
    );
  });

  it('sends the payment, and the optional fields only when given', () => {
    expect(createRefundPayload({ payment: PAYMENT })).toEqual({ payment: PAYMENT });
    expect(
      createRefundPayload({
        payment: PAYMENT,
        amount: 400,
        reason: 'duplicate',
        metadata: { ticket: 't_1' },
      }),
    ).toEqual({ payment: PAYMENT, amount: 400, reason: 'duplicate', metadata: { ticket: 't_1' } });
  });
});

describe('ListRefundsQuery', () => {
  it('accepts the list parameters and a payment filter, the limit read as a number', async () => {
    const result = await check(
      { limit: '5', starting_after: 're_7Lm4Tz1Vb8Np3Rw7Hc2kQx', payment: PAYMENT },
      ListRefundsQuery,
      'query',
    );
    expect(result.ok && result.value).toMatchObject({ limit: 5, payment: PAYMENT });
  });

  it.each([
    [{ payment: 'cust_7Hc2kQx9Lm4Tz1Vb8Np3Rw' }, 'payment'],
    [{ starting_after: PAYMENT }, 'starting_after'],
    [{ ending_before: 'not-an-id' }, 'ending_before'],
    [{ starting_after: 're_a', ending_before: 're_b' }, 'ending_before'],
    [{ limit: '101' }, 'limit'],
    [{ status: 'succeeded' }, 'status'],
  ])('refuses %j naming %s', async (query, param) => {
    const error = await errorOf(query, ListRefundsQuery, 'query');
    expect(error.status).toBe(400);
    expect(error.body.param).toBe(param);
    expect(['parameter_invalid', 'parameter_unknown']).toContain(error.body.code);
  });

  it('applies the default limit and sends no filter that was not given', () => {
    expect(listRefundsPayload({})).toEqual({ limit: 10 });
    expect(listRefundsPayload({ limit: 3, ending_before: 're_1', payment: PAYMENT })).toEqual({
      limit: 3,
      ending_before: 're_1',
      payment: PAYMENT,
    });
  });
});
