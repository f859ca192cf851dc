import { setTimeout as sleep } from 'node:timers/promises';
import {
  EventTopics,
  newId,
  validatePublicEvent,
  type Customer,
  type Payment,
  type PublicEvent,
  type WebhookEndpoint,
  type WebhookEndpointWithSecret,
  type WebhookEventSelector,
} from '@finfusion/contracts';
import {
  answer,
  api,
  collectEvents,
  createMerchant,
  publicEvent,
  publishEvents,
  waitUntil,
  type ApiClient,
  type EventCollector,
  type ReceivedWebhook,
  type TestMerchant,
  type WebhookReceiver,
  type WebhookResponder,
} from '@finfusion/testing';
import { expectApiError } from '../support/http-expectations.fixture';
import { paced } from '../support/paced-client.fixture';
import { paymentBody, paymentOf } from '../support/payments.fixture';
import {
  aboutObject,
  ATTEMPT_TIMEOUT_MS,
  bodyOf,
  createCustomer,
  deliveriesOf,
  deliveryOf,
  endpointOf,
  eventIdOf,
  eventOf,
  forEvent,
  registerEndpoint,
  verified,
  verifiesWith,
  webhookReceivers,
} from '../support/webhooks.fixture';

// Deliveries end to end: events made through the gateway (customers) or published as the payments
// relay would, consumed by the real dispatcher and POSTed to real HTTP receivers on 127.0.0.1,
// which verify them with the standardwebhooks library. The e2e dispatcher retries after
// 200, 400, 800 and 1600 ms (5 attempts) and gives up on an attempt after 2 s.

const receiver = webhookReceivers();

interface Merchant {
  merchant: TestMerchant;
  client: ApiClient;
}

async function merchant(): Promise<Merchant> {
  const created = await createMerchant();
  return { merchant: created, client: paced(api(created.apiKey)) };
}

/** A merchant with one endpoint, registered through the gateway, at a receiver of its own. */
async function subscribed(
  events: WebhookEventSelector[] = ['*'],
  responder?: WebhookResponder,
): Promise<Merchant & { inbox: WebhookReceiver; endpoint: WebhookEndpointWithSecret }> {
  const [owner, inbox] = await Promise.all([merchant(), receiver(responder)]);
  const endpoint = await registerEndpoint(owner.client, inbox, events);
  return { ...owner, inbox, endpoint };
}

/** Answers `status` to the first `times` requests of each event, then 200. */
function failingFirst(times: number, status = 500): WebhookResponder {
  const seen = new Map<string, number>();
  return (request, response) => {
    const count = (seen.get(eventIdOf(request)) ?? 0) + 1;
    seen.set(eventIdOf(request), count);
    answer(count <= times ? status : 200)(request, response);
  };
}

describe('events of customers made through the gateway', () => {
  let customers: EventCollector;

  beforeAll(async () => {
    customers = await collectEvents(EventTopics.customers);
  });
  afterAll(() => customers.stop());

  it('arrive signed, each body the public event envelope as published on Kafka', async () => {
    const { merchant: owner, client, inbox, endpoint } = await subscribed();
    const customer = await createCustomer(client, 'first@example.com');
    bodyOf(await client.patch(`/v2/customers/${customer.id}`, { name: 'Jane' }));
    // Delivered before the deletion: one sent after it carries the customer erased.
    await inbox.waitForRequests(2, { where: aboutObject(customer.id) });
    bodyOf(await client.delete(`/v2/customers/${customer.id}`));

    const requests = await inbox.waitForRequests(3, { where: aboutObject(customer.id) });
    const events = requests.map((request) => verified(request, endpoint.secret));
    expect(events.map((event) => event.type).sort()).toEqual([
      'customer.created',
      'customer.deleted',
      'customer.updated',
    ]);
    for (const [index, event] of events.entries()) {
      expect(event).toMatchObject({
        id: expect.stringMatching(/^evt_/) as string,
        schema_version: 1,
        merchant_id: owner.merchantId,
        data: { object: { id: customer.id, object: 'customer' } },
      });
      expect(validatePublicEvent(event)).toEqual([]);
      const published = await customers.waitFor(
        (record) => (record.value as PublicEvent).id === event.id,
      );
      expect(published.key).toBe(customer.id);
      expect(JSON.parse(requests[index]!.body)).toEqual(published.value);
      expect(Number(requests[index]!.headers['webhook-timestamp'])).toBeCloseTo(
        requests[index]!.at / 1000,
        -1,
      );
    }
    expect(
      (events.find((event) => event.type === 'customer.updated')?.data.object as Customer).name,
    ).toBe('Jane');

    // One delivery each, succeeded at the first attempt, in the endpoint's log.
    for (const event of events) {
      expect(await deliveryOf(client, endpoint.id, event.id)).toMatchObject({
        object: 'webhook_delivery',
        endpoint_id: endpoint.id,
        event_type: event.type,
        status: 'succeeded',
        attempt: 1,
        http_status: 200,
        error: null,
        next_attempt_at: null,
      });
    }
  });

  it('reach only the endpoints subscribed to their type, of their own merchant', async () => {
    const { client, inbox, endpoint } = await subscribed(['customer.deleted']);
    const everything = await receiver();
    const all = await registerEndpoint(client, everything, ['*']);
    const stranger = await subscribed(['*']);

    const customer = await createCustomer(client);
    bodyOf(await client.delete(`/v2/customers/${customer.id}`));
    const both = await everything.waitForRequests(2, { where: aboutObject(customer.id) });
    both.forEach((request) => verified(request, all.secret));
    const [deleted] = await inbox.waitForRequests(1, { where: aboutObject(customer.id) });
    expect(verified(deleted!, endpoint.secret).type).toBe('customer.deleted');

    await sleep(500);
    expect(inbox.requests.filter(aboutObject(customer.id))).toHaveLength(1);
    expect(stranger.inbox.requests).toHaveLength(0);
    expect(await deliveriesOf(client, endpoint.id)).toHaveLength(1);
  });
});

describe('payments made through the gateway', () => {
  it('send their events, signed, to the merchant endpoint: created, then the outcome', async () => {
    const {
      merchant: owner,
      client,
      inbox,
      endpoint,
    } = await subscribed(['payment.created', 'payment.succeeded', 'payment.failed']);
    const succeeded = paymentOf(await client.post('/v2/payments', paymentBody()));
    const failed = paymentOf(
      await client.post('/v2/payments', paymentBody({ number: '4000000000000002' })),
    );
    expect([succeeded.status, failed.status]).toEqual(['succeeded', 'failed']);

    for (const [payment, outcome] of [
      [succeeded, 'payment.succeeded'],
      [failed, 'payment.failed'],
    ] as const) {
      const requests = await inbox.waitForRequests(2, { where: aboutObject(payment.id) });
      const events = requests
        .map((request) => verified(request, endpoint.secret))
        .sort((a, b) => a.sequence - b.sequence);
      expect(events.map((event) => [event.type, event.sequence])).toEqual([
        ['payment.created', 1],
        [outcome, 2],
      ]);
      for (const event of events) {
        expect(event.merchant_id).toBe(owner.merchantId);
        expect(validatePublicEvent(event)).toEqual([]);
      }
      expect(events[1]!.data.object).toEqual(
        bodyOf(await client.get(`/v2/payments/${payment.id}`)),
      );
    }
  });
});

describe('a payment event published as the payments relay publishes it', () => {
  it('is delivered, signed, with the very bytes published, to the endpoints of its type', async () => {
    const { merchant: owner, client, inbox, endpoint } = await subscribed(['payment.succeeded']);
    const everything = await receiver();
    const all = await registerEndpoint(client, everything, ['*']);

    const payment: Payment = {
      id: newId('pay'),
      object: 'payment',
      status: 'pending',
      amount: { value: 1000, currency: 'USD' },
      amount_captured: { value: 0, currency: 'USD' },
      amount_refunded: { value: 0, currency: 'USD' },
      capture_method: 'automatic',
      capture_before: null,
      payment_method: {
        id: newId('pm'),
        type: 'card',
        card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030 },
      },
      customer: null,
      failure: null,
      canceled_at: null,
      cancellation_reason: null,
      refunds: [],
      created_at: new Date().toISOString(),
      metadata: { order_id: 'order_123' },
    };
    const created = publicEvent(owner.merchantId, 'payment.created', payment, 1);
    const succeeded = publicEvent(
      owner.merchantId,
      'payment.succeeded',
      { ...payment, status: 'succeeded', amount_captured: payment.amount },
      2,
    );
    // The envelopes keep the published contract, as the relay's would.
    expect([created, succeeded].flatMap(validatePublicEvent)).toEqual([]);
    const records = await publishEvents(EventTopics.payments, [created, succeeded]);

    const [delivered] = await inbox.waitForRequests(1);
    expect(verified(delivered!, endpoint.secret)).toEqual(succeeded);
    expect(delivered!.body).toBe(records[1]!.value);
    expect(delivered!.headers['webhook-id']).toBe(succeeded.id);

    const both = await everything.waitForRequests(2);
    expect(both.map((request) => verified(request, all.secret).id).sort()).toEqual(
      [created.id, succeeded.id].sort(),
    );
    expect(inbox.requests).toHaveLength(1);
    expect((await deliveriesOf(client, endpoint.id)).map((d) => d.event_id)).toEqual([
      succeeded.id,
    ]);
  });
});

describe('retries', () => {
  it('make exactly N+1 attempts for a receiver that fails N times, all with one webhook-id', async () => {
    const failures = 3;
    const { client, inbox, endpoint } = await subscribed(
      ['customer.created'],
      failingFirst(failures),
    );
    const customer = await createCustomer(client);
    const requests = await inbox.waitForRequests(failures + 1, {
      where: aboutObject(customer.id),
    });
    const eventId = eventIdOf(requests[0]!);
    const delivery = await deliveryOf(client, endpoint.id, eventId);
    await sleep(1000);
    const all = inbox.requests.filter(aboutObject(customer.id));
    expect(all).toHaveLength(failures + 1);
    for (const request of all) {
      expect(request.headers['webhook-id']).toBe(eventId);
      expect(request.body).toBe(all[0]!.body);
      verified(request, endpoint.secret);
    }
    // Backed off as scheduled (200, 400, 800 ms, each ±20 %).
    const gaps = all.slice(1).map((request, index) => request.at - all[index]!.at);
    [200, 400, 800].forEach((delay, index) => {
      expect(gaps[index]).toBeGreaterThanOrEqual(delay * 0.8 - 50);
    });

    expect(delivery).toMatchObject({
      status: 'succeeded',
      attempt: failures + 1,
      http_status: 200,
      error: null,
      next_attempt_at: null,
    });
    expect(
      delivery.attempts.map(({ attempt, outcome, http_status, error }) => ({
        attempt,
        outcome,
        http_status,
        error,
      })),
    ).toEqual(
      [1, 2, 3, 4].map((attempt) => ({
        attempt,
        outcome: attempt <= failures ? 'failed' : 'succeeded',
        http_status: attempt <= failures ? 500 : 200,
        error: attempt <= failures ? 'HTTP 500' : null,
      })),
    );
    for (const attempt of delivery.attempts) {
      expect(Date.parse(attempt.attempted_at)).not.toBeNaN();
      expect(attempt.duration_ms).toBeGreaterThanOrEqual(0);
    }
  });

  it('stop after the schedule’s last attempt, and the delivery is failed', async () => {
    const { client, inbox, endpoint } = await subscribed(['customer.created'], answer(503));
    const customer = await createCustomer(client);
    const [first] = await inbox.waitForRequests(1, { where: aboutObject(customer.id) });
    const failed = await deliveryOf(client, endpoint.id, eventIdOf(first!));
    expect(failed).toMatchObject({ status: 'failed', attempt: 5, http_status: 503 });
    expect(failed.attempts.map((attempt) => attempt.http_status)).toEqual([
      503, 503, 503, 503, 503,
    ]);
    await sleep(500);
    expect(inbox.requests.filter(aboutObject(customer.id))).toHaveLength(5);
    // A few failures do not disable the endpoint: only 410 or days of failures do.
    expect(await endpointOf(client, endpoint.id)).toMatchObject({ status: 'active' });
  });

  it('are not made after an answer that another attempt would not change', async () => {
    const { client, inbox, endpoint } = await subscribed(['customer.created'], answer(400));
    const customer = await createCustomer(client);
    const [request] = await inbox.waitForRequests(1, { where: aboutObject(customer.id) });
    expect(await deliveryOf(client, endpoint.id, eventIdOf(request!))).toMatchObject({
      status: 'failed',
      attempt: 1,
      http_status: 400,
      error: 'HTTP 400',
    });
    await sleep(500);
    expect(inbox.requests).toHaveLength(1);
  });
});

describe('a receiver answering 410 Gone', () => {
  it('has its endpoint disabled, and receives nothing more', async () => {
    const { client, inbox, endpoint } = await subscribed(['customer.created'], answer(410));
    const control = await receiver();
    await registerEndpoint(client, control, ['customer.created']);

    const first = await createCustomer(client);
    const [gone] = await inbox.waitForRequests(1, { where: aboutObject(first.id) });
    verified(gone!, endpoint.secret);
    const disabled = await waitUntil(async () => {
      const current = await endpointOf(client, endpoint.id);
      return current.status === 'disabled' ? current : undefined;
    });
    expect(disabled).toMatchObject({ status: 'disabled', disabled_reason: 'endpoint_gone' });
    expect(await deliveryOf(client, endpoint.id, eventIdOf(gone!))).toMatchObject({
      status: 'failed',
      attempt: 1,
      http_status: 410,
    });

    const second = await createCustomer(client);
    // The control endpoint got the second event: it was taken in, and not sent to the gone one.
    await control.waitForRequests(1, { where: aboutObject(second.id) });
    await sleep(500);
    expect(inbox.requests).toHaveLength(1);
    expect(await deliveriesOf(client, endpoint.id)).toHaveLength(1);
    // Resending needs the endpoint enabled again.
    const [delivery] = await deliveriesOf(client, endpoint.id);
    expectApiError(
      await client.post(`/v2/webhooks/${endpoint.id}/deliveries/${delivery!.id}/resend`),
      400,
      { code: 'endpoint_disabled', param: 'id' },
    );
    const enabled = bodyOf(
      await client.patch(`/v2/webhooks/${endpoint.id}`, { status: 'active' }),
    ) as WebhookEndpoint;
    expect(enabled).toMatchObject({ status: 'active', disabled_reason: null });
  });
});

describe('a slow receiver', () => {
  it('does not hold up the deliveries to a fast one', async () => {
    const owner = await merchant();
    // Holds every request for 10 s, past the dispatcher's 2 s timeout.
    const slow = await receiver((request, response) => {
      setTimeout(() => {
        // By then the dispatcher has long given up and closed the connection.
        if (!response.destroyed && !response.writableEnded) answer(200)(request, response);
      }, 10_000).unref();
    });
    const fast = await receiver();
    const slowEndpoint = await registerEndpoint(owner.client, slow, ['customer.created']);
    const fastEndpoint = await registerEndpoint(owner.client, fast, ['customer.created']);

    const created: Customer[] = [];
    for (let i = 0; i < 8; i++)
      created.push(await createCustomer(owner.client, `c${i}@example.com`));
    const fastRequests = await fast.waitForRequests(8, { timeoutMs: 10_000 });
    const lastFast = Math.max(...fastRequests.map((request) => request.at));
    const firstSlow = await slow.waitForRequests(1);
    // Every fast delivery arrived before the first slow attempt could even time out…
    expect(lastFast - firstSlow[0]!.at).toBeLessThan(ATTEMPT_TIMEOUT_MS);
    fastRequests.forEach((request) => verified(request, fastEndpoint.secret));
    // …while the slow endpoint's deliveries are still pending.
    const slowPending = await deliveriesOf(owner.client, slowEndpoint.id, 'outcome=pending');
    expect(slowPending.length).toBeGreaterThan(0);
    expect(await deliveriesOf(owner.client, slowEndpoint.id, 'outcome=succeeded')).toEqual([]);
    expect(await deliveriesOf(owner.client, fastEndpoint.id, 'outcome=succeeded')).toHaveLength(8);

    // Stop the slow endpoint's backlog from outliving the test.
    bodyOf(await owner.client.delete(`/v2/webhooks/${slowEndpoint.id}`));
  });
});

describe('secret rotation', () => {
  it('signs with old and new secrets during the overlap, and with the new alone after 0', async () => {
    const { client, inbox, endpoint } = await subscribed(['customer.created']);
    const signaturesOf = (request: ReceivedWebhook): string[] =>
      (request.headers['webhook-signature'] ?? '').split(' ');
    const deliveredFor = async (): Promise<ReceivedWebhook> => {
      const customer = await createCustomer(client);
      const [request] = await inbox.waitForRequests(1, { where: aboutObject(customer.id) });
      return request!;
    };

    const before = await deliveredFor();
    expect(signaturesOf(before)).toHaveLength(1);
    expect(signaturesOf(before)[0]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    verified(before, endpoint.secret);

    const rotated = bodyOf(
      await client.post(`/v2/webhooks/${endpoint.id}/rotate_secret`, { overlap_seconds: 3600 }),
    ) as WebhookEndpointWithSecret;
    const during = await deliveredFor();
    expect(signaturesOf(during)).toHaveLength(2);
    verified(during, endpoint.secret);
    verified(during, rotated.secret);

    const final = bodyOf(
      await client.post(`/v2/webhooks/${endpoint.id}/rotate_secret`, { overlap_seconds: 0 }),
    ) as WebhookEndpointWithSecret;
    const after = await deliveredFor();
    expect(signaturesOf(after)).toHaveLength(1);
    verified(after, final.secret);
    expect(verifiesWith(after, rotated.secret)).toBe(false);
    expect(verifiesWith(after, endpoint.secret)).toBe(false);
  });
});

describe('the deliveries log', () => {
  it('filters by outcome, pages with a numeric limit, and resends with the same webhook-id', async () => {
    // The first request of each event is refused with 400 (not retried), later ones succeed.
    const { client, inbox, endpoint } = await subscribed(
      ['customer.created'],
      failingFirst(1, 400),
    );
    const refused = await createCustomer(client, 'refused@example.com');
    const [refusedRequest] = await inbox.waitForRequests(1, { where: aboutObject(refused.id) });
    const failed = await deliveryOf(client, endpoint.id, eventIdOf(refusedRequest!));
    expect(failed).toMatchObject({ status: 'failed', attempt: 1, http_status: 400 });

    inbox.respondWith(answer(200));
    const accepted = await createCustomer(client, 'accepted@example.com');
    const [acceptedRequest] = await inbox.waitForRequests(1, { where: aboutObject(accepted.id) });
    const succeeded = await deliveryOf(client, endpoint.id, eventIdOf(acceptedRequest!));
    expect(succeeded.status).toBe('succeeded');

    const ids = async (query: string) =>
      (await deliveriesOf(client, endpoint.id, query)).map((delivery) => delivery.id);
    expect(await ids('outcome=failed')).toEqual([failed.id]);
    expect(await ids('outcome=succeeded')).toEqual([succeeded.id]);
    expect(await ids('outcome=pending')).toEqual([]);
    expect(await ids('limit=10')).toEqual([succeeded.id, failed.id]);
    const page = await client.get(`/v2/webhooks/${endpoint.id}/deliveries?limit=1`);
    expect(page.body).toMatchObject({
      object: 'list',
      has_more: true,
      data: [{ id: succeeded.id }],
    });
    expect(await ids(`limit=1&starting_after=${succeeded.id}`)).toEqual([failed.id]);
    expect(await ids(`ending_before=${failed.id}`)).toEqual([succeeded.id]);

    // Resending the failed delivery: one more attempt, same webhook-id and body, now accepted.
    const resent = await client.post(`/v2/webhooks/${endpoint.id}/deliveries/${failed.id}/resend`);
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ id: failed.id, object: 'webhook_delivery' });
    const again = await inbox.waitForRequests(2, { where: forEvent(failed.event_id) });
    expect(again[1]!.body).toBe(again[0]!.body);
    verified(again[1]!, endpoint.secret);
    const redelivered = await deliveryOf(
      client,
      endpoint.id,
      failed.event_id,
      (delivery) => delivery.status === 'succeeded',
    );
    expect(redelivered.attempts.map((a) => [a.attempt, a.outcome, a.http_status])).toEqual([
      [1, 'failed', 400],
      [2, 'succeeded', 200],
    ]);
    expect(await ids('outcome=failed')).toEqual([]);

    // A delivery that already succeeded can be resent too: a new attempt of the same event.
    bodyOf(await client.post(`/v2/webhooks/${endpoint.id}/deliveries/${succeeded.id}/resend`));
    await inbox.waitForRequests(2, { where: forEvent(succeeded.event_id) });
    expect(
      (await deliveryOf(client, endpoint.id, succeeded.event_id, (d) => d.attempt === 2)).attempts,
    ).toHaveLength(2);
    expect(eventOf(again[0]!).id).toBe(failed.event_id);
  });
});
