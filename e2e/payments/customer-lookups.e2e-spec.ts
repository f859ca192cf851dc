import { randomUUID } from 'node:crypto';
import {
  api,
  createMerchant,
  query,
  startService,
  stopService,
  waitUntil,
  type ApiClient,
  type ApiResponse,
} from '@finfusion/testing';

const FUTURE_YEAR = new Date().getFullYear() + 3;

const payment = (customer?: string): Record<string, unknown> => ({
  amount: { value: 1000, currency: 'USD' },
  payment_method: {
    type: 'card',
    card: { number: '4242424242424242', exp_month: 12, exp_year: FUTURE_YEAR, cvc: '123' },
  },
  ...(customer !== undefined && { customer }),
});

/** A well-formed customer id that no customer has. */
const unknownCustomer = (): string => `cust_${randomUUID().replaceAll('-', '').slice(0, 24)}`;

interface Timed {
  response: ApiResponse;
  ms: number;
}

const timed = async (send: () => Promise<ApiResponse>): Promise<Timed> => {
  const started = Date.now();
  const response = await send();
  return { response, ms: Date.now() - started };
};

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

const errorOf = (response: ApiResponse) =>
  (response.body as { error?: { type?: string; code?: string; param?: string } } | null)?.error;

/** Payments' own record of whose customer an id is. */
const knownCustomer = async (id: string) =>
  (
    await query(
      `SELECT merchant_id, deleted FROM payments.known_customers WHERE customer_id = $1`,
      [id],
    )
  )[0];

describe('payments naming a customer the payments service has not heard of', () => {
  let alice: ApiClient;
  let bob: ApiClient;

  beforeAll(async () => {
    const [a, b] = await Promise.all([createMerchant(), createMerchant()]);
    alice = api(a.apiKey);
    bob = api(b.apiKey);
  });

  it('refuses unknown customers at once under a steady stream, and other payments go through', async () => {
    // 5 a second of each for 6 seconds, far under the e2e gateway's limit of 40 per key.
    const unknown: Promise<Timed>[] = [];
    const normal: Promise<Timed>[] = [];
    for (let tick = 0; tick < 30; tick++) {
      unknown.push(timed(() => alice.post('/v2/payments', payment(unknownCustomer()))));
      normal.push(timed(() => bob.post('/v2/payments', payment())));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const refused = await Promise.all(unknown);
    const paid = await Promise.all(normal);

    for (const { response } of refused) {
      expect(response.status).toBe(400);
      expect(errorOf(response)).toMatchObject({
        type: 'invalid_request_error',
        code: 'resource_missing',
        param: 'customer',
      });
    }
    for (const { response } of paid) expect(response.status).toBe(200);
    // Before, each unknown customer held a request slot for 3 s. (Medians: a loaded test machine
    // may slow down any single request.)
    expect(median(refused.map((r) => r.ms))).toBeLessThan(1000);
    expect(median(paid.map((r) => r.ms))).toBeLessThan(1000);
  });

  it('accepts a customer created a moment ago whose event has not reached payments', async () => {
    const created = await alice.post('/v2/customers', { email: `new-${randomUUID()}@example.com` });
    expect(created.status).toBe(200);
    const { id } = created.body as { id: string };
    // Take the customer out of payments' directory again, as if its event were still on its way.
    await waitUntil(() => knownCustomer(id), 15_000);
    await query(`DELETE FROM payments.known_customers WHERE customer_id = $1`, [id]);

    const { response, ms } = await timed(() => alice.post('/v2/payments', payment(id)));
    expect(response.status).toBe(200);
    expect((response.body as { customer: string }).customer).toBe(id);
    expect(ms).toBeLessThan(2500);
    // The customers service's answer is recorded: the next payment finds it in the directory.
    expect(await knownCustomer(id)).toMatchObject({ deleted: false });
    const other = await bob.post('/v2/payments', payment(id));
    expect(errorOf(other)).toMatchObject({ code: 'resource_missing', param: 'customer' });
  });

  describe('while the customers service is down', () => {
    let known: string;

    beforeAll(async () => {
      const created = await alice.post('/v2/customers', { email: `k-${randomUUID()}@example.com` });
      known = (created.body as { id: string }).id;
      await waitUntil(() => knownCustomer(known), 15_000);
      await stopService('customers');
    });

    afterAll(async () => {
      await startService('customers');
      // Ready is not enough: wait until lookups are answered again.
      await waitUntil(
        async () => (await alice.post('/v2/payments', payment(unknownCustomer()))).status === 400,
        60_000,
        500,
      );
    });

    it('answers an unknown customer with a retryable 503 after CUSTOMER_LOOKUP_TIMEOUT_MS (2 s), not a hang', async () => {
      const { response, ms } = await timed(() =>
        alice.post('/v2/payments', payment(unknownCustomer()), {
          'idempotency-key': randomUUID(),
        }),
      );
      expect(response.status).toBe(503);
      expect(errorOf(response)).toMatchObject({ type: 'api_error', code: 'service_unavailable' });
      expect(ms).toBeLessThan(4000);
    });

    it('still accepts customers it knows', async () => {
      const { response, ms } = await timed(() => alice.post('/v2/payments', payment(known)));
      expect(response.status).toBe(200);
      expect(ms).toBeLessThan(2500);
    });
  });
});
