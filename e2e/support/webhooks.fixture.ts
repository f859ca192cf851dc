import { Webhook } from 'standardwebhooks';
import type {
  Customer,
  PublicEvent,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
  WebhookEventSelector,
} from '@finfusion/contracts';
import {
  startWebhookReceiver,
  waitUntil,
  type ApiClient,
  type ApiResponse,
  type ReceivedWebhook,
  type WebhookReceiver,
  type WebhookResponder,
} from '@finfusion/testing';

/** The e2e dispatcher's WEBHOOK_TIMEOUT_MS (libs/testing's stack.global-setup.ts). */
export const ATTEMPT_TIMEOUT_MS = 2000;

/**
 * Starts receivers for one spec file: each call starts another, and all of them close after the
 * file's last test.
 */
export function webhookReceivers(): (responder?: WebhookResponder) => Promise<WebhookReceiver> {
  const started: WebhookReceiver[] = [];
  afterAll(async () => {
    await Promise.all(started.map((receiver) => receiver.close()));
  });
  return async (responder) => {
    const receiver = await startWebhookReceiver(responder);
    started.push(receiver);
    return receiver;
  };
}

/** The body of a response that must have `status`; the caller says what it is. */
export function bodyOf(response: ApiResponse, status = 200): unknown {
  expect({ status: response.status, body: response.body }).toMatchObject({ status });
  return response.body;
}

/** Registers `receiver` through the gateway; the reply carries the secret. */
export async function registerEndpoint(
  client: ApiClient,
  receiver: Pick<WebhookReceiver, 'url'>,
  events: WebhookEventSelector[] = ['*'],
): Promise<WebhookEndpointWithSecret> {
  return bodyOf(
    await client.post('/v2/webhooks', { url: receiver.url, events }),
  ) as WebhookEndpointWithSecret;
}

export async function createCustomer(client: ApiClient, email = 'jane@example.com') {
  return bodyOf(await client.post('/v2/customers', { email })) as Customer;
}

export async function deliveriesOf(
  client: ApiClient,
  endpointId: string,
  query = 'limit=100',
): Promise<WebhookDelivery[]> {
  const page = bodyOf(
    await client.get(`/v2/webhooks/${endpointId}/deliveries?${query}`),
  ) as WebhookDeliveryList;
  return page.data;
}

/** The endpoint's delivery of `eventId` once `done` holds for it (by default: no longer pending). */
export async function deliveryOf(
  client: ApiClient,
  endpointId: string,
  eventId: string,
  done: (delivery: WebhookDelivery) => boolean = (delivery) => delivery.status !== 'pending',
  timeoutMs = 15_000,
): Promise<WebhookDelivery> {
  const found = await waitUntil(
    async () =>
      (await deliveriesOf(client, endpointId)).find(
        (delivery) => delivery.event_id === eventId && done(delivery),
      ),
    timeoutMs,
    200,
  );
  if (found === undefined) throw new Error(`no delivery of ${eventId}`);
  return found;
}

export async function endpointOf(client: ApiClient, id: string): Promise<WebhookEndpoint> {
  return bodyOf(await client.get(`/v2/webhooks/${id}`)) as WebhookEndpoint;
}

/**
 * Checks a delivery as a merchant's receiver would, with the standardwebhooks library: the
 * signature verifies with `secret`, and the body is a public event envelope. Returns the event.
 */
export function verified(request: ReceivedWebhook, secret: string): PublicEvent {
  expect(request.method).toBe('POST');
  expect(request.headers['content-type']).toBe('application/json');
  const event = new Webhook(secret).verify(request.body, {
    'webhook-id': request.headers['webhook-id'] ?? '',
    'webhook-timestamp': request.headers['webhook-timestamp'] ?? '',
    'webhook-signature': request.headers['webhook-signature'] ?? '',
  }) as PublicEvent;
  expect(event).toEqual(JSON.parse(request.body));
  expect(request.headers['webhook-id']).toBe(event.id);
  return event;
}

/** Whether the delivery verifies with `secret` (false where `verified` would throw). */
export function verifiesWith(request: ReceivedWebhook, secret: string): boolean {
  try {
    new Webhook(secret).verify(request.body, request.headers);
    return true;
  } catch {
    return false;
  }
}

export const eventIdOf = (request: ReceivedWebhook): string => request.headers['webhook-id'] ?? '';

/** The envelope of a delivered request, parsed without checking its signature. */
export const eventOf = (request: ReceivedWebhook): PublicEvent =>
  JSON.parse(request.body) as PublicEvent;

/** Requests for one event. */
export const forEvent =
  (eventId: string) =>
  (request: ReceivedWebhook): boolean =>
    eventIdOf(request) === eventId;

/** Requests whose body is an event about the object `objectId` (a customer, a payment). */
export const aboutObject =
  (objectId: string, type?: string) =>
  (request: ReceivedWebhook): boolean => {
    const event = eventOf(request) as PublicEvent<{ id?: string }>;
    return event.data.object.id === objectId && (type === undefined || event.type === type);
  };
