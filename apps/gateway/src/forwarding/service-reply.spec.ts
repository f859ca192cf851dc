import { isServiceReply } from './service-reply';

/** A 402 reply of the payments service, with a card error made of `error`. */
const cardErrorReply = (error: Record<string, unknown>) => ({
  ok: false,
  status: 402,
  error: { type: 'card_error', ...error },
});

describe('isServiceReply', () => {
  it('accepts a success reply with a body', () => {
    expect(isServiceReply({ ok: true, status: 200, body: { id: 'cust_1' } })).toBe(true);
  });

  it('accepts an error reply in the contract shape', () => {
    expect(
      isServiceReply(
        cardErrorReply({ code: 'card_declined', message: 'Declined.', decline_code: 'lost_card' }),
      ),
    ).toBe(true);
  });

  it('accepts a card error that carries the failed payment', () => {
    expect(
      isServiceReply(
        cardErrorReply({
          code: 'expired_card',
          message: 'Your card has expired.',
          payment: { id: 'pay_1', object: 'payment', status: 'failed' },
        }),
      ),
    ).toBe(true);
  });

  it.each([
    ['null', null],
    ['a string', 'ok'],
    ['no status', { ok: true, body: {} }],
    ['a success without a body', { ok: true, status: 200 }],
    ['a success with an error status', { ok: true, status: 500, body: {} }],
    [
      'an error with a success status',
      { ok: false, status: 200, error: { type: 'api_error', code: 'x', message: 'x' } },
    ],
    [
      'an error status out of range',
      { ok: false, status: 999, error: { type: 'api_error', code: 'x', message: 'x' } },
    ],
    [
      'an unknown error type',
      { ok: false, status: 400, error: { type: 'oops', code: 'x', message: 'x' } },
    ],
    [
      'an error without a message',
      { ok: false, status: 400, error: { type: 'api_error', code: 'x' } },
    ],
    [
      'a param that is no string',
      { ok: false, status: 400, error: { type: 'api_error', code: 'x', message: 'x', param: 1 } },
    ],
    [
      'a payment that is no object',
      {
        ok: false,
        status: 402,
        error: { type: 'card_error', code: 'card_declined', message: 'x', payment: 'pay_1' },
      },
    ],
  ])('refuses %s', (_case, reply) => {
    expect(isServiceReply(reply)).toBe(false);
  });
});
