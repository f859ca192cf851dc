import type { ServerResponse } from 'node:http';
import {
  answer,
  api,
  createMerchant,
  startService,
  startWebhookReceiver,
  stopService,
  waitUntil,
  type ApiClient,
  type ReceivedWebhook,
  type WebhookReceiver,
} from '@finfusion/testing';
import { paced } from '../support/paced-client.fixture';
import {
  createCustomer,
  deliveriesOf,
  eventIdOf,
  registerEndpoint,
  verified,
} from '../support/webhooks.fixture';

// At-least-once across a crash: the dispatcher is killed (SIGKILL) with attempts in flight and
// deliveries waiting, more events are made while it is down, and after a restart every event
// reaches the receiver. The e2e dispatcher's leases last 3 s, so a killed dispatcher's claims
// are taken over soon after it is back; its Kafka consumer group waits for the dead member's
// session (30 s) to end before the events made meanwhile are consumed.

const BEFORE = 5;
const WHILE_DOWN = 5;

describe('a dispatcher killed while deliveries are in flight', () => {
  let client: ApiClient;
  let inbox: WebhookReceiver;
  // Requests answered 200, by event id: what the receiver has acknowledged.
  const acknowledged = new Map<string, ReceivedWebhook>();
  const held: ServerResponse[] = [];

  beforeAll(async () => {
    client = paced(api((await createMerchant()).apiKey));
    // Until the crash, the receiver takes requests in and never answers them.
    inbox = await startWebhookReceiver((_request, response) => {
      held.push(response);
    });
  });

  afterAll(async () => {
    await inbox.close();
    // Whatever happened, leave the stack as the other tests expect it.
    await startService('webhook-dispatcher').catch(() => undefined);
  });

  it('loses no event: every one is delivered once it is back', async () => {
    const endpoint = await registerEndpoint(client, inbox, ['customer.created']);
    const customerIds = new Set<string>();
    for (let i = 0; i < BEFORE; i++) {
      customerIds.add((await createCustomer(client, `before${i}@example.com`)).id);
    }
    // Attempts in flight: as many as the dispatcher sends one endpoint at once (4 of 5).
    const inFlight = await inbox.waitForRequests(4);
    const inFlightIds = inFlight.map(eventIdOf);

    await stopService('webhook-dispatcher', { signal: 'SIGKILL' });
    for (let i = 0; i < WHILE_DOWN; i++) {
      customerIds.add((await createCustomer(client, `down${i}@example.com`)).id);
    }
    for (const response of held) response.destroy();
    inbox.respondWith((request, response) => {
      acknowledged.set(eventIdOf(request), request);
      answer(200)(request, response);
    });

    await startService('webhook-dispatcher', { timeoutMs: 90_000 });
    await waitUntil(() => acknowledged.size >= BEFORE + WHILE_DOWN, 90_000, 250);

    // Each event once at least, deduplicated by webhook-id: every customer made, none missing.
    const events = [...acknowledged.values()].map((request) => verified(request, endpoint.secret));
    expect(new Set(events.map((event) => (event.data.object as { id: string }).id))).toEqual(
      customerIds,
    );
    // The attempts cut short by the crash were made again, under the same webhook-id.
    for (const id of inFlightIds) expect(acknowledged.has(id)).toBe(true);

    // The log agrees, once the dispatcher answers requests again.
    const deliveries = await waitUntil(
      async () => {
        const all = await deliveriesOf(client, endpoint.id);
        return all.length === BEFORE + WHILE_DOWN &&
          all.every((delivery) => delivery.status === 'succeeded')
          ? all
          : undefined;
      },
      60_000,
      500,
    );
    expect(new Set(deliveries!.map((delivery) => delivery.event_id))).toEqual(
      new Set(acknowledged.keys()),
    );
  }, 240_000);
});
