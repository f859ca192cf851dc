import { api, createMerchant, type ApiClient } from '@finfusion/testing';
import { expectApiError } from '../testing/http-expectations.fixture';

// The e2e gateway allows 40 requests per key per second (RATE_LIMIT_REQUESTS=40).
const LIMIT = 40;

describe('rate limit per API key', () => {
  let client: ApiClient;

  beforeAll(async () => {
    client = api((await createMerchant()).apiKey);
  });

  const burst = (target: ApiClient, count: number) =>
    Promise.all(Array.from({ length: count }, () => target.get('/v2/customers/cust_ratelimited')));

  it('answers requests over the limit with 429 rate_limit_error and Retry-After', async () => {
    // A sliding window: each accepted request counts for RATE_LIMIT_WINDOW_MS (1 s). On a busy
    // machine the burst's arrivals can spread over more than a window, and the earliest then stop
    // counting: at most LIMIT pass per started second of the burst.
    const started = Date.now();
    const responses = await burst(client, 3 * LIMIT);
    const windows = Math.ceil((Date.now() - started) / 1000);
    const limited = responses.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(responses.filter((r) => r.status === 404).length).toBeLessThanOrEqual(LIMIT * windows);
    const [first] = limited;
    expectApiError(first!, 429, { type: 'rate_limit_error', code: 'rate_limited' });
    expect(Number(first!.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    // Another merchant's key has its own budget.
    const other = api((await createMerchant()).apiKey);
    expect((await other.get('/v2/customers/cust_ratelimited')).status).toBe(404);

    // After Retry-After seconds the key may send again.
    await new Promise((resolve) =>
      setTimeout(resolve, Number(first!.headers['retry-after']) * 1000 + 100),
    );
    expect((await client.get('/v2/customers/cust_ratelimited')).status).toBe(404);
  });
});
