import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type {
  DeletedWebhookEndpoint,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointList,
  WebhookEndpointWithSecret,
} from '@finfusion/contracts';
import {
  api,
  createMerchant,
  startWebhookReceiver,
  type ApiClient,
  type WebhookReceiver,
} from '@finfusion/testing';
import type {
  OpenAPIObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { expectApiError } from '../support/http-expectations.fixture';
import { paced } from '../support/paced-client.fixture';
import {
  aboutObject,
  bodyOf,
  createCustomer,
  deliveryOf,
  forEvent,
  registerEndpoint,
  verified,
  verifiesWith,
} from '../support/webhooks.fixture';

// The gateway's side of webhook endpoints over HTTP, against the real stack: validation, merchant
// scoping, the dispatcher's refusals, forwarding. Deliveries are in webhook-delivery.e2e-spec.ts.
let alice: ApiClient;
let bob: ApiClient;
let receiver: WebhookReceiver;

beforeAll(async () => {
  [alice, bob] = (await Promise.all([createMerchant(), createMerchant()])).map((m) =>
    paced(api(m.apiKey)),
  ) as [ApiClient, ApiClient];
  receiver = await startWebhookReceiver();
});
afterAll(() => receiver.close());

const create = async (client: ApiClient = alice, body: object = {}) =>
  bodyOf(
    await client.post('/v2/webhooks', { url: receiver.url, events: ['*'], ...body }),
  ) as WebhookEndpointWithSecret;

describe('POST /v2/webhooks', () => {
  it('creates an endpoint as in the API reference, with its secret, answering 200', async () => {
    const response = await alice.post('/v2/webhooks', {
      url: receiver.url,
      events: ['payment.succeeded', 'payment.failed'],
      metadata: { environment: 'production' },
    });
    expect(response.status).toBe(200);
    expect(response.headers['request-id']).toMatch(/^req_/);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^whk_[0-9A-Za-z]{22}$/) as string,
      object: 'webhook_endpoint',
      url: receiver.url,
      events: ['payment.succeeded', 'payment.failed'],
      status: 'active',
      disabled_reason: null,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as string,
      metadata: { environment: 'production' },
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/) as string,
    });
  });

  it('replays the first reply, secret included, for a repeated Idempotency-Key', async () => {
    const client = paced(api((await createMerchant()).apiKey));
    const key = randomUUID();
    const body = { url: receiver.url, events: ['customer.created'] };
    const first = await client.post('/v2/webhooks', body, { 'Idempotency-Key': key });
    const again = await client.post('/v2/webhooks', body, { 'Idempotency-Key': key });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    const list = bodyOf(await client.get('/v2/webhooks')) as WebhookEndpointList;
    expect(list.data.map((endpoint) => endpoint.id)).toEqual([(first.body as WebhookEndpoint).id]);
    expectApiError(
      await client.post('/v2/webhooks', { ...body, events: ['*'] }, { 'Idempotency-Key': key }),
      400,
      { type: 'idempotency_error', code: 'idempotency_key_reused' },
    );
  });

  // One refusal through the whole stack: the rules are tested in libs/contracts, each field's
  // wiring in the gateway's webhook.requests.spec.ts.
  it('refuses an unknown event type, naming it by its index in events', async () => {
    expectApiError(
      await alice.post('/v2/webhooks', {
        url: receiver.url,
        events: ['payment.succeeded', 'payment.refunded'],
      }),
      400,
      { type: 'invalid_request_error', code: 'parameter_invalid', param: 'events.1' },
    );
  });

  // The address ranges are tested in the dispatcher's ssrf-guard.spec.ts, their refusal at
  // registration in its create-endpoint.int-spec.ts; here the refusal crosses the gateway.
  it('has the dispatcher refuse the cloud metadata address at registration, as a 400 naming url', async () => {
    const url = 'http://169.254.169.254/latest/meta-data';
    const error = expectApiError(await alice.post('/v2/webhooks', { url, events: ['*'] }), 400, {
      type: 'invalid_request_error',
      code: 'url_not_allowed',
      param: 'url',
    });
    // Decided on the address alone; the next test proves no connection is tried.
    expect(error.message).toContain('link-local');
  });

  it('refuses an address that would reach this machine without connecting to it', async () => {
    // 0.0.0.0 reaches local listeners on Linux: only the guard keeps the dispatcher away.
    const trap = await startWebhookReceiver();
    try {
      const url = `http://0.0.0.0:${trap.port}/hooks`;
      expectApiError(await alice.post('/v2/webhooks', { url, events: ['*'] }), 400, {
        code: 'url_not_allowed',
        param: 'url',
      });
      const { id } = await create();
      expectApiError(await alice.patch(`/v2/webhooks/${id}`, { url }), 400, {
        code: 'url_not_allowed',
        param: 'url',
      });
      expect(trap.connections).toBe(0);
      // The address is reachable: a direct connection gets through.
      await new Promise<void>((resolve, reject) => {
        const socket = net.connect(trap.port, '0.0.0.0', () => {
          socket.destroy();
          resolve();
        });
        socket.once('error', reject);
      });
      await waitUntilConnections(trap, 1);
    } finally {
      await trap.close();
    }
  });
});

async function waitUntilConnections(trap: WebhookReceiver, count: number): Promise<void> {
  const deadline = Date.now() + 2000;
  while (trap.connections < count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(trap.connections).toBe(count);
}

describe('GET /v2/webhooks/{id} and GET /v2/webhooks', () => {
  it('returns the endpoint without its secret', async () => {
    const { secret, ...created } = await create();
    const got = bodyOf(await alice.get(`/v2/webhooks/${created.id}`)) as WebhookEndpoint;
    expect(got).toEqual(created);
    expect(JSON.stringify(got)).not.toContain(secret);
  });

  it('lists endpoints newest first, page by page, without secrets', async () => {
    const client = paced(api((await createMerchant()).apiKey));
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.unshift((await create(client)).id);

    const first = bodyOf(await client.get('/v2/webhooks?limit=2')) as WebhookEndpointList;
    expect(first).toMatchObject({ object: 'list', has_more: true });
    expect(first.data.map((endpoint) => endpoint.id)).toEqual(ids.slice(0, 2));
    expect(JSON.stringify(first)).not.toContain('whsec_');

    const rest = bodyOf(
      await client.get(`/v2/webhooks?limit=2&starting_after=${ids[1]}`),
    ) as WebhookEndpointList;
    expect(rest).toMatchObject({ has_more: false });
    expect(rest.data.map((endpoint) => endpoint.id)).toEqual(ids.slice(2));

    const before = bodyOf(
      await client.get(`/v2/webhooks?ending_before=${ids[2]}`),
    ) as WebhookEndpointList;
    expect(before.data.map((endpoint) => endpoint.id)).toEqual(ids.slice(0, 2));
    expect((bodyOf(await client.get('/v2/webhooks')) as WebhookEndpointList).data).toHaveLength(3);
  });

  it('validates list parameters', async () => {
    expectApiError(await alice.get('/v2/webhooks?limit=0'), 400, { param: 'limit' });
    expectApiError(await alice.get('/v2/webhooks?limit=101'), 400, { param: 'limit' });
    expectApiError(await alice.get('/v2/webhooks?limit=two'), 400, { param: 'limit' });
    expectApiError(await alice.get('/v2/webhooks?starting_after=whk_a&ending_before=whk_b'), 400, {
      param: 'ending_before',
    });
    expectApiError(await alice.get('/v2/webhooks?status=active'), 400, {
      code: 'parameter_unknown',
      param: 'status',
    });
  });

  it('answers an id that is not an endpoint id with 404 without asking the dispatcher', async () => {
    const error = expectApiError(await alice.get('/v2/webhooks/cust_123'), 404, {
      code: 'resource_missing',
      param: 'id',
    });
    expect(error.message).toBe('No such webhook endpoint.');
    expectApiError(await alice.get('/v2/webhooks/whk_doesnotexist'), 404, {
      code: 'resource_missing',
      param: 'id',
    });
  });
});

describe('PATCH /v2/webhooks/{id}', () => {
  it('changes url, events, status and metadata', async () => {
    const other = await startWebhookReceiver();
    try {
      const { id } = await create(alice, { metadata: { team: 'payments', region: 'eu' } });
      const updated = bodyOf(
        await alice.patch(`/v2/webhooks/${id}`, {
          url: other.url,
          events: ['customer.created', 'customer.deleted'],
          metadata: { team: 'billing', region: '' },
        }),
      ) as WebhookEndpoint;
      expect(updated).toMatchObject({
        id,
        url: other.url,
        events: ['customer.created', 'customer.deleted'],
        status: 'active',
        metadata: { team: 'billing' },
      });
      expect(updated).not.toHaveProperty('secret');

      const disabled = bodyOf(
        await alice.patch(`/v2/webhooks/${id}`, { status: 'disabled' }),
      ) as WebhookEndpoint;
      expect(disabled).toMatchObject({ status: 'disabled', disabled_reason: 'requested' });
      const enabled = bodyOf(
        await alice.patch(`/v2/webhooks/${id}`, { status: 'active' }),
      ) as WebhookEndpoint;
      expect(enabled).toMatchObject({ status: 'active', disabled_reason: null });
      expect(await alice.get(`/v2/webhooks/${id}`)).toMatchObject({ body: enabled });
    } finally {
      await other.close();
    }
  });

  it.each<[string, object, string]>([
    ['a private url', { url: 'https://10.1.2.3/hooks' }, 'url'],
    ['an unknown event type', { events: ['customer.created', 'customer.merged'] }, 'events.1'],
    ['disabled_reason', { disabled_reason: 'requested' }, 'disabled_reason'],
  ])('refuses %s', async (_case, body, param) => {
    const { id } = await create();
    expectApiError(await alice.patch(`/v2/webhooks/${id}`, body), 400, { param });
  });
});

describe('DELETE /v2/webhooks/{id}', () => {
  it('deletes the endpoint for good', async () => {
    const { id } = await create();
    expect(bodyOf(await alice.delete(`/v2/webhooks/${id}`)) as DeletedWebhookEndpoint).toEqual({
      id,
      object: 'webhook_endpoint',
      deleted: true,
    });
    expectApiError(await alice.get(`/v2/webhooks/${id}`), 404, { code: 'resource_missing' });
    expectApiError(await alice.delete(`/v2/webhooks/${id}`), 404);
    expectApiError(await alice.get(`/v2/webhooks/${id}/deliveries`), 404, { param: 'id' });
  });
});

describe('POST /v2/webhooks/{id}/rotate_secret', () => {
  it('issues a new secret with or without a body', async () => {
    const { id, secret } = await create();
    // As `curl -X POST` sends it: no body, no Content-Type.
    const bare = await alice.post(`/v2/webhooks/${id}/rotate_secret`);
    const rotated = bodyOf(bare) as WebhookEndpointWithSecret;
    expect(rotated).toMatchObject({ id, object: 'webhook_endpoint', status: 'active' });
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(secret);

    const again = bodyOf(
      await alice.post(`/v2/webhooks/${id}/rotate_secret`, { overlap_seconds: 0 }),
    ) as WebhookEndpointWithSecret;
    expect(again.secret).not.toBe(rotated.secret);
    expect(
      (
        bodyOf(
          await alice.post(`/v2/webhooks/${id}/rotate_secret`, {}),
        ) as WebhookEndpointWithSecret
      ).secret,
    ).toMatch(/^whsec_/);
  });

  it.each<[string, unknown]>([['an overlap over a week', 7 * 24 * 3600 + 1]])(
    'refuses %s',
    async (_case, overlap) => {
      const { id } = await create();
      expectApiError(
        await alice.post(`/v2/webhooks/${id}/rotate_secret`, { overlap_seconds: overlap }),
        400,
        { code: 'parameter_invalid', param: 'overlap_seconds' },
      );
      expectApiError(await alice.post(`/v2/webhooks/${id}/rotate_secret`, { overlap: 60 }), 400, {
        code: 'parameter_unknown',
        param: 'overlap',
      });
    },
  );
});

describe('another merchant’s endpoint', () => {
  // A merchant and receiver of their own: one endpoint, so one request per event.
  let carol: ApiClient;
  let inbox: WebhookReceiver;
  let endpoint: WebhookEndpointWithSecret;
  let delivery: WebhookDelivery;

  beforeAll(async () => {
    carol = paced(api((await createMerchant()).apiKey));
    inbox = await startWebhookReceiver();
    endpoint = await registerEndpoint(carol, inbox, ['customer.created']);
    const customer = await createCustomer(carol);
    const [request] = await inbox.waitForRequests(1, { where: aboutObject(customer.id) });
    const event = verified(request!, endpoint.secret);
    delivery = await deliveryOf(carol, endpoint.id, event.id);
  });
  afterAll(() => inbox.close());

  it('is a 404 on every route, and stays untouched', async () => {
    const base = `/v2/webhooks/${endpoint.id}`;
    for (const response of [
      await bob.get(base),
      await bob.patch(base, { status: 'disabled' }),
      await bob.delete(base),
      await bob.post(`${base}/rotate_secret`, { overlap_seconds: 0 }),
      await bob.get(`${base}/deliveries`),
      await bob.post(`${base}/deliveries/${delivery.id}/resend`),
    ]) {
      expectApiError(response, 404, {
        type: 'invalid_request_error',
        code: 'resource_missing',
        param: 'id',
      });
    }
    expect(JSON.stringify((await bob.get('/v2/webhooks?limit=100')).body)).not.toContain(
      endpoint.id,
    );
    expectApiError(await bob.get(`/v2/webhooks?starting_after=${endpoint.id}`), 400, {
      param: 'starting_after',
    });
    const { secret, ...unchanged } = endpoint;
    expect(await carol.get(base)).toMatchObject({ status: 200, body: unchanged });
    // The secret was not rotated, and nobody resent the delivery: one attempt, one request.
    const customer = await createCustomer(carol);
    const [request] = await inbox.waitForRequests(1, { where: aboutObject(customer.id) });
    verified(request!, secret);
    expect(verifiesWith(request!, secret)).toBe(true);
    expect((await deliveryOf(carol, endpoint.id, delivery.event_id)).attempt).toBe(1);
    expect(inbox.requests.filter(forEvent(delivery.event_id))).toHaveLength(1);
  });

  it('does not lend its delivery ids to another endpoint of the same merchant', async () => {
    const other = await registerEndpoint(carol, inbox, ['customer.deleted']);
    expectApiError(
      await carol.post(`/v2/webhooks/${other.id}/deliveries/${delivery.id}/resend`),
      404,
      { code: 'resource_missing', param: 'delivery_id' },
    );
    expectApiError(
      await carol.post(`/v2/webhooks/${endpoint.id}/deliveries/whd_doesnotexist/resend`),
      404,
      { code: 'resource_missing', param: 'delivery_id' },
    );
    const error = expectApiError(
      await carol.post(`/v2/webhooks/${endpoint.id}/deliveries/evt_123/resend`),
      404,
      { param: 'delivery_id' },
    );
    expect(error.message).toBe('No such webhook delivery.');
  });
});

describe('GET /v2/webhooks/{id}/deliveries', () => {
  it('validates its query', async () => {
    const { id } = await create();
    expectApiError(await alice.get(`/v2/webhooks/${id}/deliveries?outcome=delivered`), 400, {
      param: 'outcome',
    });
    expectApiError(await alice.get(`/v2/webhooks/${id}/deliveries?limit=1000`), 400, {
      param: 'limit',
    });
    expectApiError(await alice.get(`/v2/webhooks/${id}/deliveries?starting_after=whd_nope`), 400, {
      code: 'resource_missing',
      param: 'starting_after',
    });
    expect(await alice.get(`/v2/webhooks/${id}/deliveries?limit=5&outcome=pending`)).toMatchObject({
      status: 200,
      body: { object: 'list', data: [], has_more: false },
    });
  });
});

describe('the API documentation', () => {
  let document: OpenAPIObject;

  beforeAll(async () => {
    document = bodyOf(await api().get('/openapi.json')) as OpenAPIObject;
  });

  const routes = [
    ['/v2/webhooks', 'post'],
    ['/v2/webhooks', 'get'],
    ['/v2/webhooks/{id}', 'get'],
    ['/v2/webhooks/{id}', 'patch'],
    ['/v2/webhooks/{id}', 'delete'],
    ['/v2/webhooks/{id}/rotate_secret', 'post'],
    ['/v2/webhooks/{id}/deliveries', 'get'],
    ['/v2/webhooks/{id}/deliveries/{delivery_id}/resend', 'post'],
  ] as const;

  it('documents every webhooks route with its success schema, errors and headers', () => {
    for (const [path, method] of routes) {
      const operation = document.paths[path]?.[method];
      expect({ path, method, documented: operation !== undefined }).toEqual({
        path,
        method,
        documented: true,
      });
      const ok = operation?.responses['200'] as ResponseObject;
      expect(ok.content?.['application/json']?.schema).toHaveProperty('$ref');
      expect(Object.keys(ok.headers ?? {})).toContain('Request-Id');
      const refusesInput = !(path === '/v2/webhooks/{id}' && method !== 'patch');
      for (const status of [...(refusesInput ? ['400'] : []), '401', '429', '500', '503', '504']) {
        expect({ path, method, status, error: operation?.responses[status] }).toMatchObject({
          error: { content: { 'application/json': { schema: expect.anything() as object } } },
        });
      }
      if (method === 'post') {
        expect(Object.keys(ok.headers ?? {})).toContain('Idempotent-Replayed');
        expect(operation?.parameters).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }),
          ]),
        );
      }
      if (path.includes('{id}')) expect(operation?.responses['404']).toBeDefined();
    }
  });

  it('documents the request and response schemas, the secret and the query parameters', () => {
    const schemas = document.components?.schemas ?? {};
    for (const name of [
      'CreateWebhookRequest',
      'UpdateWebhookRequest',
      'RotateWebhookSecretRequest',
      'WebhookEndpointResponse',
      'WebhookEndpointWithSecretResponse',
      'WebhookEndpointListResponse',
      'DeletedWebhookEndpointResponse',
      'WebhookDeliveryResponse',
      'WebhookDeliveryAttemptResponse',
      'WebhookDeliveryListResponse',
    ]) {
      expect({ name, schema: schemas[name] }).toMatchObject({
        schema: expect.anything() as object,
      });
    }
    const create = schemas.CreateWebhookRequest as SchemaObject;
    expect(create.required).toEqual(expect.arrayContaining(['url', 'events']));
    expect(JSON.stringify(create.properties?.events)).toContain('payment.succeeded');
    expect(JSON.stringify(schemas.WebhookEndpointWithSecretResponse)).toContain('secret');
    expect(JSON.stringify(schemas.WebhookEndpointResponse)).not.toContain('"secret"');
    const deliveries = document.paths['/v2/webhooks/{id}/deliveries']?.get?.parameters ?? [];
    expect(deliveries.map((parameter) => ('name' in parameter ? parameter.name : ''))).toEqual(
      expect.arrayContaining(['id', 'limit', 'starting_after', 'ending_before', 'outcome']),
    );
    const rotate = document.paths['/v2/webhooks/{id}/rotate_secret']?.post?.requestBody;
    expect(rotate).toMatchObject({ required: false });
  });
});
