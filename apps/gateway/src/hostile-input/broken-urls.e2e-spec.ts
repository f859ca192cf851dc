import { createMerchant, testEnv } from '@finfusion/testing';
import { sendRaw } from './raw-http';

// Paths that are not valid UTF-8 once decoded: Fastify answers them before its request hooks.
describe('a path that does not decode', () => {
  let apiKey: string;

  beforeAll(async () => {
    ({ apiKey } = await createMerchant());
  });

  it.each([
    ['PUT', '/v2/webhooks/%ED%A0%80', 405],
    ['GET', '/v2/webhooks/%ED%A0%80', 400],
    ['POST', '/v2/nothing/%C0%AF', 400],
  ])('%s %s is answered %d with a Request-Id', async (method, path, status) => {
    const response = await sendRaw(testEnv.gatewayUrl, {
      method,
      path,
      headers: [['authorization', `Bearer ${apiKey}`]],
    });
    const body = response.body as { error?: { request_id?: string } } | null;
    expect(response.status).toBe(status);
    expect(response.headers['request-id']).toMatch(/^req_[0-9A-Za-z]+$/);
    expect(body?.error?.request_id).toBe(response.headers['request-id']);
  });
});
