import {
  EventTopics,
  newId,
  type PublicEvent,
  type WebhookEndpointWithSecret,
} from '@finfusion/contracts';
import {
  api,
  createMerchant,
  publicEvent,
  publishEvents,
  query,
  type ApiClient,
} from '@finfusion/testing';
import { expectApiError } from '../support/http-expectations.fixture';
import { paced } from '../support/paced-client.fixture';
import { bodyOf, registerEndpoint, verified, webhookReceivers } from '../support/webhooks.fixture';

// Over the whole stack: the endpoints-per-merchant limit through the gateway, fairness between
// merchants in the real dispatcher (32 slots, 16 per merchant, 2 s attempt timeout), and the
// signing secrets kept sealed in its tables.

const receiver = webhookReceivers();

async function merchantClient(): Promise<{ merchantId: string; client: ApiClient }> {
  const created = await createMerchant();
  return { merchantId: created.merchantId, client: paced(api(created.apiKey)) };
}

/** Payment events of `merchantId` published as the payments relay would. */
async function publishPaymentEvents(
  merchantId: string,
  count: number,
): Promise<PublicEvent<{ id: string }>[]> {
  const events = Array.from({ length: count }, (_, index) =>
    publicEvent(
      merchantId,
      'payment.succeeded',
      { id: newId('pay'), object: 'payment', status: 'succeeded', index },
      2,
    ),
  );
  await publishEvents(EventTopics.payments, events);
  return events;
}

describe('webhook endpoints per merchant', () => {
  it('refuses a 17th endpoint with 400 endpoint_limit_reached, in the documented error shape', async () => {
    const { client } = await merchantClient();
    const inbox = await receiver();
    const endpoints: WebhookEndpointWithSecret[] = [];
    for (let i = 0; i < 16; i++) endpoints.push(await registerEndpoint(client, inbox));

    const refused = await client.post('/v2/webhooks', { url: inbox.url, events: ['*'] });
    expectApiError(refused, 400, {
      type: 'invalid_request_error',
      code: 'endpoint_limit_reached',
      message:
        'A merchant can have at most 16 webhook endpoints; delete one before creating another.',
    });

    bodyOf(await client.delete(`/v2/webhooks/${endpoints[0]!.id}`));
    await registerEndpoint(client, inbox);
  });
});

describe('webhook delivery across merchants', () => {
  it('delivers a merchant’s webhooks promptly while another’s backlog at 16 slow endpoints drains', async () => {
    const busy = await merchantClient();
    const slow = await receiver((_request, response) => {
      setTimeout(() => response.writeHead(200).end(), 1500).unref();
    });
    for (let i = 0; i < 16; i++) await registerEndpoint(busy.client, slow);
    // 160 deliveries of 1.5 s each: at the dispatcher's 32 slots, 7.5 s of work for this merchant.
    await publishPaymentEvents(busy.merchantId, 10);
    await slow.waitForRequests(1);

    const quiet = await merchantClient();
    const fast = await receiver();
    const endpoint = await registerEndpoint(quiet.client, fast);
    const started = Date.now();
    const events = await publishPaymentEvents(quiet.merchantId, 3);

    const delivered = await fast.waitForRequests(3, { timeoutMs: 10_000 });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(delivered.map((request) => verified(request, endpoint.secret).id).sort()).toEqual(
      events.map((event) => event.id).sort(),
    );
    // The busy merchant's backlog is still draining.
    const [pending] = await query(
      `SELECT count(*)::integer AS count FROM webhooks.deliveries
       WHERE merchant_id = $1 AND status = 'pending'`,
      [busy.merchantId],
    );
    expect(pending?.count).toBeGreaterThan(80);
    expect(slow.requests.length).toBeLessThan(80);
  });
});

describe('signing secrets at rest', () => {
  it('appear nowhere in the dispatcher’s tables, and deliveries verify with them', async () => {
    const { merchantId, client } = await merchantClient();
    const inbox = await receiver();
    const endpoint = await registerEndpoint(client, inbox);
    const rotated = bodyOf(
      await client.post(`/v2/webhooks/${endpoint.id}/rotate_secret`, { overlap_seconds: 60 }),
    ) as WebhookEndpointWithSecret;
    const [event] = await publishPaymentEvents(merchantId, 1);
    const [request] = await inbox.waitForRequests(1);
    expect(verified(request!, endpoint.secret).id).toBe(event!.id);
    expect(verified(request!, rotated.secret).id).toBe(event!.id);

    const columns = (await query(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = 'webhooks'
         AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY')`,
    )) as { table_name: string; column_name: string }[];
    expect(columns.length).toBeGreaterThan(10);
    const found: string[] = [];
    for (const { table_name, column_name } of columns) {
      const [row] = await query(
        `SELECT count(*)::integer AS hits FROM webhooks."${table_name}"
         WHERE "${column_name}"::text LIKE '%whsec%'
            OR "${column_name}"::text LIKE $1 OR "${column_name}"::text LIKE $2`,
        [
          `%${endpoint.secret.slice('whsec_'.length)}%`,
          `%${rotated.secret.slice('whsec_'.length)}%`,
        ],
      );
      if (row?.hits !== 0) found.push(`${table_name}.${column_name}`);
    }
    expect(found).toEqual([]);
  });
});
