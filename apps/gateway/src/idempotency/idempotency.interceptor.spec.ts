import { ApiError } from '../errors/api-error';
import { idempotencyKeyOf, keepsOutcome } from './idempotency.interceptor';

describe('idempotencyKeyOf', () => {
  it('reads no key when the header is absent', () => {
    expect(idempotencyKeyOf(undefined)).toBeUndefined();
  });

  it('accepts printable ASCII up to 255 characters', () => {
    const key = `${'k'.repeat(250)}-_:.!`;
    expect(idempotencyKeyOf(key)).toBe(key);
  });

  it.each([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['with a space', 'a b'],
    ['not ASCII', 'clé'],
  ])('refuses a key that is %s with 400 idempotency_key_invalid', (_case, key) => {
    expect(() => idempotencyKeyOf(key)).toThrow(ApiError);
    try {
      idempotencyKeyOf(key);
    } catch (error) {
      expect((error as ApiError).body).toMatchObject({
        type: 'idempotency_error',
        code: 'idempotency_key_invalid',
        param: 'Idempotency-Key',
      });
    }
  });
});

describe('keepsOutcome', () => {
  it('keeps what a service decided, errors below 500 included', () => {
    const declined = ApiError.fromService(402, {
      type: 'card_error',
      code: 'card_declined',
      message: 'x',
    });
    expect(keepsOutcome(declined)).toBe(true);
  });

  it('does not keep a refusal the gateway made before the service saw the request', () => {
    expect(keepsOutcome(ApiError.of('parameter_invalid'))).toBe(false);
  });

  it('does not keep a failure on the way, so the client can retry', () => {
    expect(keepsOutcome(ApiError.of('service_timeout'))).toBe(false);
    expect(keepsOutcome(ApiError.of('service_unavailable'))).toBe(false);
    expect(
      keepsOutcome(
        ApiError.fromService(500, { type: 'api_error', code: 'internal_error', message: 'x' }),
      ),
    ).toBe(false);
  });
});
