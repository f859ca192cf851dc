import { api, createMerchant, waitUntil, type ApiClient } from '@finfusion/testing';
import type { CustomerList, EventList, PaymentList } from '@finfusion/contracts';
import { paced } from '../support/paced-client.fixture';
import { paymentBody } from '../support/payments.fixture';

/**
 * The largest metadata a create request can carry within the body limit: 50 keys of 40
 * characters, each value 500 two-byte characters (about 52 kB of JSON).
 */
const largestMetadata = (): Record<string, string> =>
  Object.fromEntries(
    Array.from({ length: 50 }, (_, i) => [`k${String(i).padStart(39, '0')}`, 'é'.repeat(500)]),
  );

async function inBatches(count: number, size: number, make: () => Promise<void>): Promise<void> {
  for (let done = 0; done < count; done += size) {
    await Promise.all(Array.from({ length: Math.min(size, count - done) }, make));
  }
}

// A page of list replies of several megabytes crosses Kafka like any other: the reply topics,
// compression and the consumers are sized for the largest legal page.
describe('the largest list pages', () => {
  let client: ApiClient;

  beforeAll(async () => {
    // Under the e2e gateway's rate limit, however fast the stack answers.
    client = paced(api((await createMerchant()).apiKey));
  });

  it('lists 60 customers with the largest metadata in one page of 100', async () => {
    await inBatches(60, 10, async () => {
      const response = await client.post('/v2/customers', {
        email: 'big@example.com',
        metadata: largestMetadata(),
      });
      expect(response.status).toBe(200);
    });
    const page = await client.get('/v2/customers?limit=100');
    expect(page.status).toBe(200);
    expect((page.body as CustomerList).data).toHaveLength(60);
    expect(Buffer.byteLength(page.text)).toBeGreaterThan(3_000_000);
  });

  it('lists 100 payments with the largest metadata in one page', async () => {
    await inBatches(100, 10, async () => {
      const response = await client.post(
        '/v2/payments',
        paymentBody({}, { metadata: largestMetadata() }),
      );
      expect(response.status).toBe(200);
    });
    const page = await client.get('/v2/payments?limit=100');
    expect(page.status).toBe(200);
    expect((page.body as PaymentList).data).toHaveLength(100);
  });

  it('lists 100 of their events, each carrying its payment, in one page', async () => {
    const page = await waitUntil(
      async () => {
        const response = await client.get('/v2/events?limit=100&type=payment.succeeded');
        expect(response.status).toBe(200);
        return (response.body as EventList).data.length === 100 ? response : undefined;
      },
      60_000,
      500,
    );
    expect(Buffer.byteLength(page?.text ?? '')).toBeGreaterThan(4_000_000);
  });

  it('still answers the service’s other requests after such a page', async () => {
    const response = await client.post('/v2/customers', { email: 'after@example.com' });
    expect(response.status).toBe(200);
  });
});
