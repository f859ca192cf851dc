import { randomBytes } from 'node:crypto';
import {
  api,
  createMerchant,
  restartService,
  waitUntil,
  type ApiClient,
  type ApiResponse,
} from '@finfusion/testing';
import { expectApiError } from '../support/http-expectations.fixture';
import { merchantsCli } from '../support/merchants-cli.fixture';

// The e2e gateway allows 40 requests per merchant per second (RATE_LIMIT_REQUESTS=40).
const LIMIT = 40;

const burst = (target: ApiClient, count: number, headers: Record<string, string> = {}) =>
  Promise.all(
    Array.from({ length: count }, () =>
      target.get('/v2/customers/cust_ratelimited', undefined, headers),
    ),
  );

/** At most `limit` requests pass per started second of a burst (a sliding window). */
async function timedBurst(
  send: () => Promise<ApiResponse[]>,
): Promise<{ responses: ApiResponse[]; windows: number }> {
  const started = Date.now();
  const responses = await send();
  return { responses, windows: Math.ceil((Date.now() - started) / 1000) };
}

const madeUpKey = () => `sk_test_${randomBytes(24).toString('hex')}`;

describe('rate limit per merchant', () => {
  let client: ApiClient;
  let other: ApiClient;

  beforeAll(async () => {
    client = api((await createMerchant()).apiKey);
    // Known good before the burst: a key's first use counts against the lookups of keys not yet
    // known, a budget shared by every client, which the other test files running meanwhile use.
    other = api((await createMerchant()).apiKey);
    await waitUntil(async () => (await other.get('/v2/customers/cust_ratelimited')).status === 404);
  });

  it('answers requests over the limit with 429 rate_limit_error and Retry-After', async () => {
    // On a busy machine the burst's arrivals can spread over more than a window, and the earliest
    // then stop counting: at most LIMIT pass per started second of the burst.
    const { responses, windows } = await timedBurst(() => burst(client, 3 * LIMIT));
    const limited = responses.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(responses.filter((r) => r.status === 404).length).toBeLessThanOrEqual(LIMIT * windows);
    const [first] = limited;
    expectApiError(first!, 429, { type: 'rate_limit_error', code: 'rate_limited' });
    expect(Number(first!.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    // Another merchant has its own budget.
    expect((await other.get('/v2/customers/cust_ratelimited')).status).toBe(404);

    // After Retry-After seconds the merchant may send again.
    await new Promise((resolve) =>
      setTimeout(resolve, Number(first!.headers['retry-after']) * 1000 + 100),
    );
    expect((await client.get('/v2/customers/cust_ratelimited')).status).toBe(404);
  });

  it("counts all of a merchant's keys against one budget", async () => {
    const merchant = await createMerchant();
    const second = JSON.parse(
      (await merchantsCli('add-key', merchant.merchantId, '--json')).trim().split('\n').at(-1)!,
    ) as { api_key: string };
    const first = api(merchant.apiKey);
    const other = api(second.api_key);
    // Each key alone stays under the limit; together they go over it.
    const count = Math.ceil(LIMIT * 0.75);
    const { responses, windows } = await timedBurst(async () => {
      const [a, b] = await Promise.all([burst(first, count), burst(other, count)]);
      return [...a, ...b];
    });
    expect(responses.filter((r) => r.status === 404).length).toBeLessThanOrEqual(LIMIT * windows);
    if (windows === 1) expect(responses.some((r) => r.status === 429)).toBe(true);
  });
});

// A gateway of its own for these tests: small budgets, and 127.0.0.1 (the tests) as its proxy,
// so X-Forwarded-For can stand for many clients.
const FAILURES_PER_CLIENT = 5;
const LOOKUPS_PER_SECOND = 10;

describe('requests that do not authenticate', () => {
  let known: string;

  const from = (address: string, key?: string) => ({
    'x-forwarded-for': address,
    ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
  });

  const restartGateway = (env: Record<string, string> = {}) =>
    restartService('gateway', {
      env: {
        AUTH_FAILURE_LIMIT: String(FAILURES_PER_CLIENT),
        AUTH_FAILURE_WINDOW_MS: '60000',
        AUTH_LOOKUPS_PER_SECOND: String(LOOKUPS_PER_SECOND),
        TRUSTED_PROXIES: '127.0.0.1,::1',
        ...env,
      },
    });

  beforeAll(async () => {
    known = (await createMerchant()).apiKey;
    await restartGateway();
  });

  afterAll(async () => {
    await restartService('gateway');
  });

  it('are limited per client address, before any lookup, with 429 and Retry-After', async () => {
    const client = '203.0.113.7';
    // The known key is seen once, from elsewhere: from then on it is served from the cache.
    expect((await api().get('/v2/customers', undefined, from('198.51.100.1', known))).status).toBe(
      200,
    );
    for (let i = 0; i < FAILURES_PER_CLIENT; i++) {
      const response = await api().get('/v2/customers', undefined, from(client, madeUpKey()));
      expectApiError(response, 401, { code: 'api_key_invalid' });
    }
    for (const headers of [from(client, madeUpKey()), from(client), from(client, 'pk_bad')]) {
      const limited = await api().get('/v2/customers', undefined, headers);
      expectApiError(limited, 429, { type: 'rate_limit_error', code: 'rate_limited' });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    // Other addresses have budgets of their own; a known key still works from the limited one.
    expectApiError(
      await api().get('/v2/customers', undefined, from('203.0.113.8', madeUpKey())),
      401,
    );
    expect((await api().get('/v2/customers', undefined, from(client, known))).status).toBe(200);
  });

  it('are limited overall, so a flood from many addresses cannot hammer the database', async () => {
    const { responses, windows } = await timedBurst(() =>
      Promise.all(
        Array.from({ length: 4 * LOOKUPS_PER_SECOND }, (_, i) =>
          api().get('/v2/customers', undefined, from(`198.18.${i >> 8}.${i & 255}`, madeUpKey())),
        ),
      ),
    );
    const refused = responses.filter((r) => r.status === 401);
    const limited = responses.filter((r) => r.status === 429);
    expect(refused.length + limited.length).toBe(responses.length);
    expect(refused.length).toBeLessThanOrEqual(LOOKUPS_PER_SECOND * windows);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    // Known keys do not depend on that budget.
    expect((await api(known).get('/v2/customers')).status).toBe(200);
  });

  it('count against the peer address when it is not a trusted proxy', async () => {
    await restartGateway({ TRUSTED_PROXIES: '10.255.255.1' });
    const statuses: number[] = [];
    for (let i = 0; i <= FAILURES_PER_CLIENT; i++) {
      const address = `192.0.2.${i + 1}`;
      statuses.push(
        (await api().get('/v2/customers', undefined, from(address, madeUpKey()))).status,
      );
    }
    expect(statuses).toEqual([...Array<number>(FAILURES_PER_CLIENT).fill(401), 429]);
  });
});
