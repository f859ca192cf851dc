import { randomUUID } from 'node:crypto';
import {
  adminUrl,
  api,
  createMerchant,
  startService,
  stopService,
  waitUntil,
  type ApiClient,
} from '@finfusion/testing';
import { expectApiError } from '../support/http-expectations.fixture';

// The e2e gateway waits REQUEST_TIMEOUT_MS=5000 for a reply.
const TIMEOUT_MS = 5000;

describe('a service that is down', () => {
  let client: ApiClient;

  beforeAll(async () => {
    client = api((await createMerchant()).apiKey);
    expect((await client.get('/v2/customers')).status).toBe(200);
    await stopService('customers');
  });

  afterAll(async () => {
    await startService('customers');
    // Ready is not enough: wait until the service answers through the gateway again.
    await waitUntil(async () => (await client.get('/v2/customers')).status === 200, 60_000, 500);
  });

  it('makes the gateway answer 504 service_timeout within the timeout, not hang', async () => {
    const started = Date.now();
    const response = await client.get('/v2/customers/cust_waiting');
    const elapsed = Date.now() - started;
    expectApiError(response, 504, { type: 'api_error', code: 'service_timeout' });
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 3000);
  });

  it('releases the Idempotency-Key of a timed-out POST, so the retry runs once the service is back', async () => {
    const key = randomUUID();
    const body = { email: `retry-${key}@example.com` };
    expectApiError(await client.post('/v2/customers', body, { 'idempotency-key': key }), 504);
    await startService('customers');
    const retry = await waitUntil(
      async () => {
        const response = await client.post('/v2/customers', body, { 'idempotency-key': key });
        return response.status === 200 ? response : undefined;
      },
      60_000,
      500,
    );
    expect(retry!.headers['idempotent-replayed']).toBeUndefined();
    const list = (await client.get(`/v2/customers?email=${encodeURIComponent(body.email)}`))
      .body as {
      data: unknown[];
    };
    expect(list.data).toHaveLength(1);
    await stopService('customers');
  });

  it('keeps the gateway itself alive and ready', async () => {
    expect((await fetch(`${adminUrl('gateway')}/health/live`)).status).toBe(200);
    expect((await fetch(`${adminUrl('gateway')}/health/ready`)).status).toBe(200);
  });
});
