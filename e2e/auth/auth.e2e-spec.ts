import { api, createMerchant, waitUntil, type TestMerchant } from '@finfusion/testing';
import { expectApiError } from '../support/http-expectations.fixture';
import { merchantsCli, onlyKeyIdOf } from '../support/merchants-cli.fixture';

describe('API key authentication', () => {
  let merchant: TestMerchant;

  beforeAll(async () => {
    merchant = await createMerchant();
  });

  it('accepts a merchant key created by the merchants command', async () => {
    const response = await api(merchant.apiKey).get('/v2/customers');
    expect(response.status).toBe(200);
  });

  it('refuses a request without an Authorization header with 401 api_key_missing', async () => {
    const response = await api().get('/v2/customers');
    expectApiError(response, 401, { type: 'authentication_error', code: 'api_key_missing' });
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it.each([
    ['another scheme', `Basic ${Buffer.from('user:pass').toString('base64')}`],
    ['a bearer without a key', 'Bearer '],
    ['a key of the wrong format', 'Bearer pk_live_abc'],
    ['a bare key', 'sk_test_0123456789abcdefghijklmnopqrstuv'],
    ['a huge header', `Bearer sk_test_${'a'.repeat(7000)}`],
  ])('refuses %s with 401 api_key_invalid', async (_case, authorization) => {
    const response = await api().get('/v2/customers', undefined, { authorization });
    expectApiError(response, 401, { type: 'authentication_error', code: 'api_key_invalid' });
  });

  it('refuses a well-formed key that was never issued', async () => {
    const response = await api(`sk_test_${'Z'.repeat(32)}`).get('/v2/customers');
    expectApiError(response, 401, { code: 'api_key_invalid' });
  });

  it('refuses a revoked key within a few seconds of its revocation', async () => {
    const revoked = await createMerchant();
    expect((await api(revoked.apiKey).get('/v2/customers')).status).toBe(200);
    const keyId = await onlyKeyIdOf(revoked.merchantId);
    expect(await merchantsCli('revoke', keyId)).toContain('revoked');
    const refused = await waitUntil(
      async () => (await api(revoked.apiKey).get('/v2/customers')).status === 401,
      5000,
    );
    expect(refused).toBe(true);
  });

  it('never puts the key in an error message', async () => {
    const key = `sk_test_${'Q'.repeat(32)}`;
    const response = await api(key).get('/v2/customers');
    expect(response.text).not.toContain(key);
  });

  it.each(['/openapi.json', '/docs'])('serves %s without a key', async (path) => {
    expect((await api().get(path)).status).toBe(200);
  });
});
