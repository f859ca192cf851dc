import {
  EventTopics,
  PublicEventTypes,
  type Customer,
  type EventList,
  type PublicEvent,
} from '@finfusion/contracts';
import {
  api,
  collectEvents,
  createMerchant,
  waitUntil,
  type ApiClient,
  type CollectedEvent,
  type EventCollector,
  type ReceivedWebhook,
  type WebhookReceiver,
} from '@finfusion/testing';
import { expectApiError } from '../support/http-expectations.fixture';
import { paced } from '../support/paced-client.fixture';
import { paymentBody, paymentOf } from '../support/payments.fixture';
import {
  bodyOf,
  eventIdOf,
  registerEndpoint,
  verified,
  webhookReceivers,
} from '../support/webhooks.fixture';

// GET /v2/events over HTTP against the whole stack: payments and a customer made through the
// gateway, their events taken in by the webhook dispatcher from the real topics, listed and read
// back, and compared with what the merchant's webhook endpoint and the Kafka topics carried.

jest.setTimeout(120_000);

const receivers = webhookReceivers();

/** What one merchant did, and what its endpoint and the topics carried. */
let client: ApiClient;
let inbox: WebhookReceiver;
let secret: string;
let other: ApiClient;
let payments: EventCollector;
let customers: EventCollector;
/** Every event of the merchant, newest first, as GET /v2/events first listed them all. */
let listed: PublicEvent[];
let customer: Customer;
let declinedPayment: string;
const EVENT_COUNT = 8;

const query = (values: Record<string, string | number>): string =>
  `?${new URLSearchParams(
    Object.entries(values).map(([k, v]): [string, string] => [k, String(v)]),
  ).toString()}`;

const page = async (
  values: Record<string, string | number> = {},
  as: ApiClient = client,
): Promise<EventList> =>
  bodyOf(await as.get(`/v2/events${query({ limit: 100, ...values })}`)) as EventList;

const ids = (events: readonly PublicEvent[]): string[] => events.map((event) => event.id);

/** The webhook request that carried `eventId`. */
const webhookOf = (eventId: string): ReceivedWebhook => {
  const request = inbox.requests.find((r) => eventIdOf(r) === eventId);
  if (request === undefined) throw new Error(`no webhook carried ${eventId}`);
  return request;
};

const recordOf = (event: PublicEvent) => (record: CollectedEvent) =>
  (record.value as Partial<PublicEvent> | null)?.id === event.id;

beforeAll(async () => {
  [payments, customers] = await Promise.all([
    collectEvents(EventTopics.payments),
    collectEvents(EventTopics.customers),
  ]);
  const [merchant, stranger] = await Promise.all([createMerchant(), createMerchant()]);
  client = paced(api(merchant.apiKey));
  other = paced(api(stranger.apiKey));
  inbox = await receivers();
  secret = (await registerEndpoint(client, inbox, ['*'])).secret;

  // Eight events: customer.created and .updated, and payment.created with its outcome, three times.
  customer = bodyOf(
    await client.post('/v2/customers', { email: 'events@example.com' }),
  ) as Customer;
  bodyOf(await client.patch(`/v2/customers/${customer.id}`, { name: 'Evie Events' }));
  for (const number of ['4242424242424242', '4000000000000002', '4242424242424242']) {
    const payment = paymentOf(await client.post('/v2/payments', paymentBody({ number })));
    if (payment.status === 'failed') declinedPayment = payment.id;
  }

  const all = await waitUntil(
    async () => {
      const { data } = await page();
      return data.length >= EVENT_COUNT ? data : undefined;
    },
    60_000,
    250,
  );
  if (all === undefined) throw new Error('unreachable: waitUntil returned');
  listed = all;
  await inbox.waitForRequests(EVENT_COUNT, { timeoutMs: 30_000 });
});

afterAll(async () => {
  await payments.stop();
  await customers.stop();
});

describe('GET /v2/events', () => {
  it("lists the merchant's events newest first by when they happened", () => {
    expect(listed).toHaveLength(EVENT_COUNT);
    expect(listed.map((event) => event.type).sort()).toEqual(
      [
        'customer.created',
        'customer.updated',
        'payment.created',
        'payment.created',
        'payment.created',
        'payment.failed',
        'payment.succeeded',
        'payment.succeeded',
      ].sort(),
    );
    const times = listed.map((event) => Date.parse(event.created_at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    for (const event of listed) {
      expect(event.merchant_id).toBeDefined();
      expect(PublicEventTypes).toContain(event.type);
    }
  });

  it('lists each event as the same JSON its webhook body and its Kafka record carried', async () => {
    for (const event of listed) {
      const request = webhookOf(event.id);
      expect(verified(request, secret)).toEqual(event);
      expect(JSON.stringify(event)).toBe(request.body);
      const topic = event.type.startsWith('customer.') ? customers : payments;
      const record = await topic.waitFor(recordOf(event));
      expect(record.value).toEqual(event);
    }
  });

  it('pages through every event with starting_after, and back with ending_before', async () => {
    const seen: PublicEvent[] = [];
    const pages: EventList[] = [];
    for (;;) {
      const cursor = seen.at(-1)?.id;
      const next = await page({
        limit: 3,
        ...(cursor !== undefined && { starting_after: cursor }),
      });
      expect(next.object).toBe('list');
      pages.push(next);
      seen.push(...next.data);
      if (!next.has_more) break;
    }
    expect(pages.map((p) => p.data.length)).toEqual([3, 3, 2]);
    expect(ids(seen)).toEqual(ids(listed));

    const back = await page({ limit: 3, ending_before: pages[2]!.data[0]!.id });
    expect(ids(back.data)).toEqual(ids(pages[1]!.data));
    expect(back.has_more).toBe(true);
  });

  it('filters by type', async () => {
    const failed = await page({ type: 'payment.failed' });
    expect(failed.data).toHaveLength(1);
    expect(failed.data[0]).toMatchObject({
      type: 'payment.failed',
      data: { object: { id: declinedPayment, status: 'failed' } },
    });
    const created = await page({ type: 'payment.created' });
    expect(ids(created.data)).toEqual(
      ids(listed.filter((event) => event.type === 'payment.created')),
    );
    expect((await page({ type: 'customer.updated' })).data).toMatchObject([
      { data: { object: { id: customer.id, name: 'Evie Events' } } },
    ]);
    expect((await page({ type: 'customer.deleted' })).data).toEqual([]);
  });

  it("filters by an inclusive range of the events' own created_at", async () => {
    const oldest = listed.at(-1)!;
    const middle = listed[3]!;
    const newest = listed[0]!;
    const from = await page({ 'created[gte]': middle.created_at });
    expect(ids(from.data)).toEqual(
      ids(listed.filter((e) => Date.parse(e.created_at) >= Date.parse(middle.created_at))),
    );
    expect(ids(from.data)).toContain(middle.id);
    const until = await page({ 'created[lte]': middle.created_at });
    expect(ids(until.data)).toEqual(
      ids(listed.filter((e) => Date.parse(e.created_at) <= Date.parse(middle.created_at))),
    );
    const whole = await page({
      'created[gte]': oldest.created_at,
      'created[lte]': newest.created_at,
    });
    expect(ids(whole.data)).toEqual(ids(listed));
    // Another zone names the same instants.
    const shifted = new Date(Date.parse(middle.created_at) + 2 * 3600_000)
      .toISOString()
      .replace('Z', '+02:00');
    expect(ids((await page({ 'created[lte]': shifted })).data)).toEqual(ids(until.data));
    expect((await page({ 'created[gte]': '2999-01-01T00:00:00Z' })).data).toEqual([]);
    const both = await page({ type: 'payment.succeeded', 'created[gte]': oldest.created_at });
    expect(both.data.map((e) => e.type)).toEqual(['payment.succeeded', 'payment.succeeded']);
  });

  it('refuses a bad filter with a 400 naming it', async () => {
    const refusals: [Record<string, string>, string][] = [
      [{ type: 'payment.refunded' }, 'type'],
      [{ type: '*' }, 'type'],
      [{ 'created[gte]': 'yesterday' }, 'created[gte]'],
      [{ 'created[gte]': '1772323200' }, 'created[gte]'],
      [{ 'created[lte]': '2026-03-01' }, 'created[lte]'],
      [{ limit: '0' }, 'limit'],
      [{ limit: '101' }, 'limit'],
      [{ starting_after: customer.id }, 'starting_after'],
      [{ ending_before: 'evt_' }, 'ending_before'],
      [{ starting_after: listed[0]!.id, ending_before: listed[1]!.id }, 'ending_before'],
      [{ created: '2026-03-01T00:00:00Z' }, 'created'],
    ];
    for (const [filter, param] of refusals) {
      const response = await client.get(`/v2/events${query(filter)}`);
      expectApiError(response, 400, { type: 'invalid_request_error', param });
    }
    const twice = await client.get('/v2/events?type=payment.created&type=payment.failed');
    expectApiError(twice, 400, { type: 'invalid_request_error', param: 'type' });
  });
});

describe('GET /v2/events/{id}', () => {
  it('answers one event as the same JSON its webhook body and its Kafka record carried', async () => {
    for (const event of [listed[0]!, listed.at(-1)!]) {
      const response = await client.get(`/v2/events/${event.id}`);
      expect(response.status).toBe(200);
      expect(response.headers['request-id']).toMatch(/^req_/);
      expect(response.text).toBe(webhookOf(event.id).body);
      const topic = event.type.startsWith('customer.') ? customers : payments;
      expect((await topic.waitFor(recordOf(event))).value).toEqual(response.body);
    }
  });

  it('answers 404 resource_missing for an unknown or malformed id', async () => {
    for (const id of ['evt_5Rw8Hc2kQx9Lm4Tz1Vb8Np', 'evt_', 'pay_5Rw8Hc2kQx9Lm4Tz1Vb8Np', 'x']) {
      const response = await client.get(`/v2/events/${id}`);
      expectApiError(response, 404, {
        type: 'invalid_request_error',
        code: 'resource_missing',
        param: 'id',
      });
    }
  });
});

describe("another merchant's view", () => {
  it("gets 404 for the merchant's events, as for unknown ones", async () => {
    for (const event of listed) {
      const response = await other.get(`/v2/events/${event.id}`);
      const error = expectApiError(response, 404, {
        type: 'invalid_request_error',
        code: 'resource_missing',
        param: 'id',
      });
      expect(error.message).toBe('No such event.');
      expect(response.text).not.toContain(event.id);
    }
  });

  it('lists none of them, whatever the filters', async () => {
    expect(await page({}, other)).toEqual({ object: 'list', data: [], has_more: false });
    expect((await page({ type: 'payment.created' }, other)).data).toEqual([]);
    const cursor = await other.get(`/v2/events${query({ starting_after: listed[0]!.id })}`);
    expectApiError(cursor, 400, { code: 'resource_missing', param: 'starting_after' });
    expect(cursor.text).not.toContain(listed[0]!.id);
  });
});

describe('a merchant without webhook endpoints', () => {
  it('lists its events, though no webhook endpoint took them', async () => {
    const third = paced(api((await createMerchant()).apiKey));
    const own = bodyOf(
      await third.post('/v2/customers', { email: 'no.endpoint@example.com' }),
    ) as Customer;
    const events = await waitUntil(
      async () => {
        const { data } = await page({}, third);
        return data.length > 0 ? data : undefined;
      },
      30_000,
      250,
    );
    expect(events).toMatchObject([{ type: 'customer.created', data: { object: { id: own.id } } }]);
    const record = await customers.waitFor(recordOf(events![0]!));
    expect(record.value).toEqual(events![0]);
  });
});
