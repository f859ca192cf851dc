import { randomUUID } from 'node:crypto';
import type { Customer, Refund, WebhookEndpointWithSecret } from '@finfusion/contracts';
import {
  api,
  createMerchant,
  uniqueCardNumber,
  waitUntil,
  type ApiClient,
  type ApiResponse,
  type WebhookReceiver,
} from '@finfusion/testing';
import type {
  OpenAPIObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { paced } from '../support/paced-client.fixture';
import { paymentBody, paymentOf } from '../support/payments.fixture';
import {
  aboutObject,
  bodyOf,
  deliveryOf,
  eventIdOf,
  verified,
  webhookReceivers,
} from '../support/webhooks.fixture';
import {
  operationExamples,
  PAYMENT_TO_CANCEL,
  PAYMENT_TO_CAPTURE,
  type ExampleContext,
  type OperationExample,
} from './operation-examples';
import {
  fillPath,
  operationsOf,
  schemaExampleOf,
  withField,
  type Method,
  type Operation,
} from './openapi-operations';

// A second merchant, calling every operation of the API document with the first merchant's ids
// (in the path, in list filters, in body fields that name a resource), gets a 404 or a
// validation error and learns nothing; the first merchant's resources stay as they were. The
// operations come from the document, so a new route is covered, or fails here, without a list.

jest.setTimeout(180_000);

/** One merchant's world: a resource of each kind its ids can name. */
interface World {
  merchantId: string;
  client: ApiClient;
  receiver: WebhookReceiver;
  /** The signing secret of its endpoint (`whk`). */
  secret: string;
  /**
   * id prefix (`cust`, `pay`, `re`, `whk`, `whd`, `evt`) -> an id of that kind; and the payments
   * that wait for a capture or a cancellation, under the names the examples give them.
   */
  ids: Map<string, string>;
}

let document: OpenAPIObject;
let operations: Operation[];
let alice: World;
let bob: World;
let sink: WebhookReceiver;
const startReceiver = webhookReceivers();
let context: ExampleContext;
/** Every id alice's responses carried, her data's markers and her secrets: none may reach bob. */
const forbidden = new Set<string>();
let aliceSecret: string;
/** The idempotent POSTs alice made, with their keys, for bob to repeat. */
const aliceKeyed: { operation: Operation; key: string; id: unknown }[] = [];
let aliceView: Map<string, unknown>;

const ID = /\b([a-z]{2,8})_[0-9A-Za-z]{22}\b/g;
const label = (operation: Operation) => `${operation.method.toUpperCase()} ${operation.path}`;
const exampleOf = (operation: Operation): OperationExample | undefined =>
  operationExamples[operation.operationId];
const merchantOperations = () => operations.filter((operation) => exampleOf(operation));

function remember(response: ApiResponse): ApiResponse {
  for (const [id, prefix] of response.text.matchAll(ID)) if (prefix !== 'req') forbidden.add(id);
  return response;
}

/** Alice's data found in a response to bob: ids, markers, secrets, in its body or headers. */
function leaksIn(response: ApiResponse): string[] {
  const headers = Object.entries(response.headers).filter(([name]) => name !== 'request-id');
  const text = `${response.text}\n${JSON.stringify(headers)}`;
  return [...forbidden].filter((token) => text.includes(token));
}

function send(
  client: ApiClient,
  method: Method,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  switch (method) {
    case 'get':
      return client.get(path, undefined, headers);
    case 'put':
      return client.raw('PUT', path, JSON.stringify(body ?? {}), {
        'content-type': 'application/json',
        ...headers,
      });
    case 'post':
    case 'patch':
    case 'delete':
      return client[method](path, body, headers);
  }
}

function queryString(values: Record<string, string>): string {
  const query = new URLSearchParams(values).toString();
  return query === '' ? '' : `?${query}`;
}

function pathIdsOf(operation: Operation, owners: World[]): Record<string, string> {
  const resources = exampleOf(operation)?.resources ?? {};
  return Object.fromEntries(
    operation.pathIds.map(({ name, prefix }, index) => {
      const id = owners[index]?.ids.get(resources[name] ?? prefix);
      if (id === undefined) throw new Error(`no ${prefix}_ resource for ${label(operation)}`);
      return [name, id];
    }),
  );
}

/** The operation's path with ids of `owners` (one world for every id, or one per id). */
function pathOf(operation: Operation, owners: World | World[]): string {
  const each = Array.isArray(owners) ? owners : operation.pathIds.map(() => owners);
  return fillPath(operation.path, pathIdsOf(operation, each));
}

/** Deletions last, so that one that wrongly succeeds does not hide what the others do. */
const destroyingLast = (list: Operation[]): Operation[] =>
  [...list].sort(
    (a, b) => Number(exampleOf(a)?.destroys === true) - Number(exampleOf(b)?.destroys === true),
  );

/** Every way of filling the path with alice's and bob's ids in which alice owns at least one. */
function mixedOwners(operation: Operation): World[][] {
  const count = operation.pathIds.length;
  const combinations: World[][] = [];
  for (let mask = 1; mask < 2 ** count; mask++) {
    combinations.push(operation.pathIds.map((_, index) => (mask & (1 << index) ? alice : bob)));
  }
  return combinations;
}

function baseQuery(operation: Operation): Record<string, string> {
  const query = exampleOf(operation)?.query?.(context) ?? {};
  if (operation.queryFilters.some((p) => p.name === 'limit')) query.limit = '100';
  return query;
}

/** How bob's call of `operation` went wrong, or nothing when it answered as expected. */
function judge(
  what: string,
  response: ApiResponse,
  statuses: readonly number[],
): string | undefined {
  const leaks = leaksIn(response);
  if (leaks.length > 0) return `${what}: ${response.status} shows alice's ${leaks.join(', ')}`;
  if (!statuses.includes(response.status)) {
    return `${what}: expected ${statuses.join(' or ')}, got ${response.status} ${response.text}`;
  }
  return undefined;
}

/** Alice's view of everything she can GET: every GET operation with her ids. */
async function viewOf(world: World): Promise<Map<string, unknown>> {
  const view = new Map<string, unknown>();
  for (const operation of merchantOperations().filter((o) => o.method === 'get')) {
    const path = `${pathOf(operation, world)}${queryString(baseQuery(operation))}`;
    const response = await world.client.get(path);
    // An error's request id differs on every call; the rest of the answer must not.
    const text = response.text.replace(/"request_id":"req_[0-9A-Za-z]+"/g, '"request_id":"…"');
    view.set(path, { status: response.status, body: JSON.parse(text) as unknown });
  }
  return view;
}

const PENDING_DELIVERY = /"object":"webhook_delivery"[^{}]*"status":"pending"/;

/** The view once two readings a second apart agree and nothing is pending: all has settled. */
async function settledViewOf(world: World): Promise<Map<string, unknown>> {
  let previous = await viewOf(world);
  let settled: Map<string, unknown> | undefined;
  await waitUntil(
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const current = await viewOf(world);
      const moving = [...current.keys()].filter(
        (path) =>
          JSON.stringify(current.get(path)) !== JSON.stringify(previous.get(path)) ||
          PENDING_DELIVERY.test(JSON.stringify(current.get(path))),
      );
      previous = current;
      if (moving.length > 0) throw new Error(`still changing: ${moving.join(', ')}`);
      settled = current;
      return true;
    },
    30_000,
    0,
  );
  if (settled === undefined) throw new Error('unreachable: waitUntil returned');
  return settled;
}

/**
 * A merchant with a resource of each kind, its payments in `currency`; `keep` sees each response
 * (alice's responses teach the suite what bob must never see).
 */
async function newWorld(
  marker: string,
  currency: string,
  keep: (response: ApiResponse) => ApiResponse,
): Promise<World> {
  const merchant = await createMerchant();
  const client = paced(api(merchant.apiKey));
  const receiver = await startReceiver();
  const endpoint = bodyOf(
    keep(
      await client.post('/v2/webhooks', {
        url: receiver.url,
        events: ['*'],
        metadata: { owner: marker },
      }),
    ),
  ) as WebhookEndpointWithSecret;
  const customer = bodyOf(
    keep(
      await client.post('/v2/customers', {
        email: `${marker}@example.com`,
        name: `Owner ${marker}`,
        metadata: { owner: marker },
      }),
    ),
  ) as Customer;
  const amount = { value: 4217, currency };
  const payment = paymentOf(
    keep(
      await client.post(
        '/v2/payments',
        paymentBody(
          { number: uniqueCardNumber() },
          { amount, customer: customer.id, metadata: { owner: marker } },
        ),
      ),
    ),
  );
  // A declined one too, so every status a filter can name has one of the merchant's payments.
  keep(await client.post('/v2/payments', paymentBody({ number: '4000000000000002' }, { amount })));
  // One to capture and one to cancel: each can be done once.
  const [toCapture, toCancel] = await Promise.all(
    [1, 2].map(async () =>
      paymentOf(
        keep(
          await client.post(
            '/v2/payments',
            paymentBody({}, { amount, capture_method: 'manual', metadata: { owner: marker } }),
          ),
        ),
      ),
    ),
  );
  const refund = bodyOf(
    keep(
      await client.post('/v2/refunds', {
        payment: payment.id,
        amount: 100,
        metadata: { owner: marker },
      }),
    ),
  ) as Refund;
  const [request] = await receiver.waitForRequests(1, { where: aboutObject(customer.id) });
  verified(request!, endpoint.secret);
  const delivery = await deliveryOf(client, endpoint.id, eventIdOf(request!));
  keep(await client.get(`/v2/webhooks/${endpoint.id}/deliveries?limit=100`));
  keep(await client.get(`/v2/payments/${payment.id}/events`));
  return {
    merchantId: merchant.merchantId,
    client,
    receiver,
    secret: endpoint.secret,
    ids: new Map([
      ['cust', customer.id],
      ['pay', payment.id],
      [PAYMENT_TO_CAPTURE, toCapture!.id],
      [PAYMENT_TO_CANCEL, toCancel!.id],
      ['re', refund.id],
      ['whk', endpoint.id],
      ['whd', delivery.id],
      ['evt', eventIdOf(request!)],
    ]),
  };
}

beforeAll(async () => {
  const response = await api().get('/openapi.json');
  expect(response.status).toBe(200);
  document = response.body as OpenAPIObject;
  operations = operationsOf(document);
  sink = await startReceiver();
  context = { sinkUrl: sink.url, today: new Date().toISOString().slice(0, 10) };

  // Letters only: a run of digits could read as a card number, which the gateway refuses.
  const marker = `xm${randomUUID().replace(/[^a-f]/g, '')}`;
  [alice, bob] = await Promise.all([
    newWorld(marker, 'NOK', remember),
    newWorld('other-merchant', 'USD', (response) => response),
  ]);
  aliceSecret = alice.secret;
  forbidden.add(alice.merchantId);
  forbidden.add(marker);
  forbidden.add('"NOK"');

  // Alice's payments reach her daily report before bob asks for his.
  await waitUntil(
    async () =>
      JSON.stringify(
        (
          await alice.client.get(
            `/v2/reports/daily${queryString({ from: context.today, to: context.today })}`,
          )
        ).body,
      ).includes('"NOK"'),
    20_000,
    200,
  );

  // Each idempotent POST once with alice's ids and a key of hers; bob repeats them below.
  for (const operation of merchantOperations()) {
    if (operation.method !== 'post' || !operation.idempotent) continue;
    const key = randomUUID();
    const body = exampleOf(operation)?.body?.(context, alice.ids);
    const path = pathOf(operation, alice);
    const reply = remember(
      await send(alice.client, 'post', path, body, { 'Idempotency-Key': key }),
    );
    expect({ operation: label(operation), status: reply.status }).toEqual({
      operation: label(operation),
      status: 200,
    });
    const { id, secret } = (reply.body ?? {}) as { id?: unknown; secret?: unknown };
    if (id === alice.ids.get('whk') && typeof secret === 'string') aliceSecret = secret;
    aliceKeyed.push({ operation, key, id });
  }
  forbidden.add(aliceSecret);

  aliceView = await settledViewOf(alice);
  for (const value of aliceView.values()) {
    for (const [id, prefix] of JSON.stringify(value).matchAll(ID)) {
      if (prefix !== 'req') forbidden.add(id);
    }
  }
});

it('has an example for every documented operation, and knows what each of its ids names', () => {
  const documented = new Set(operations.map((operation) => operation.operationId));
  const prefixes = new Set(
    operations.flatMap((o) => [...o.pathIds, ...o.queryIds, ...o.bodyIds].map((r) => r.prefix)),
  );
  expect({
    withoutExample: operations
      .filter((o) => !exampleOf(o))
      .map((o) => `${o.operationId} (${label(o)})`),
    examplesOfNothing: Object.keys(operationExamples).filter((id) => !documented.has(id)),
    withoutBody: operations
      .filter((o) => o.bodyRequired && exampleOf(o)?.body === undefined)
      .map((o) => o.operationId),
    unclear: operations.flatMap((o) => o.problems),
    kindsWithoutResource: [...prefixes].filter((p) => !alice.ids.has(p) || !bob.ids.has(p)),
  }).toEqual({
    withoutExample: [],
    examplesOfNothing: [],
    withoutBody: [],
    unclear: [],
    kindsWithoutResource: [],
  });
  expect(operations.filter((o) => o.pathIds.length > 0).length).toBeGreaterThan(0);
});

it("answers every route with the other merchant's ids with 404, and tells nothing of them", async () => {
  const failures: string[] = [];
  for (const operation of destroyingLast(
    merchantOperations().filter((o) => o.pathIds.length > 0),
  )) {
    const body = exampleOf(operation)?.body?.(context, bob.ids);
    for (const owners of mixedOwners(operation)) {
      const path = `${pathOf(operation, owners)}${queryString(baseQuery(operation))}`;
      const response = await send(bob.client, operation.method, path, body);
      const failure = judge(`${operation.method.toUpperCase()} ${path}`, response, [404]);
      if (failure !== undefined) failures.push(failure);
    }
  }
  expect(failures).toEqual([]);
});

it("lists none of the other merchant's resources, whatever the filters name", async () => {
  const aliceData = JSON.stringify([...aliceView.values()]);
  const failures: string[] = [];
  const lists = merchantOperations().filter(
    (o) => o.method === 'get' && (o.returns?.list === true || o.pathIds.length === 0),
  );
  for (const operation of lists) {
    const path = pathOf(operation, bob);
    const base = baseQuery(operation);
    const variants: Record<string, string>[] = [{}];
    for (const { name, prefix } of operation.queryIds) {
      const id = alice.ids.get(prefix);
      if (id !== undefined) variants.push({ [name]: id });
    }
    for (const filter of operation.queryFilters) {
      if (filter.name === 'limit' || filter.name in base) continue;
      const schema = (filter.schema ?? {}) as SchemaObject;
      // Each value of alice's that the filter can take, or else its documented example.
      const values = (schema.enum ?? []).filter(
        (value): value is string => typeof value === 'string' && aliceData.includes(`"${value}"`),
      );
      for (const [, own] of aliceData.matchAll(new RegExp(`"${filter.name}":"([^"]+)"`, 'g'))) {
        if (own !== undefined && !values.includes(own)) values.push(own);
      }
      const example = schemaExampleOf(schema);
      if (values.length === 0 && typeof example === 'string') values.push(example);
      for (const value of values) variants.push({ [filter.name]: value });
    }
    for (const variant of variants) {
      const url = `${path}${queryString({ ...base, ...variant })}`;
      const failure = judge(`GET ${url}`, await bob.client.get(url), [200, 400]);
      if (failure !== undefined) failures.push(failure);
    }
  }
  expect(failures).toEqual([]);
});

it("refuses a body field naming the other merchant's resource, and changes nothing", async () => {
  const failures: string[] = [];
  const referring = merchantOperations().filter((o) => o.bodyIds.length > 0);
  for (const operation of referring) {
    const path = pathOf(operation, bob);
    // What bob's own GET of the same path shows (his list, or the resource itself).
    const reader = operations.find((o) => o.path === operation.path && o.method === 'get');
    const read = async () =>
      reader === undefined
        ? null
        : (await bob.client.get(`${path}${queryString(baseQuery(reader))}`)).body;
    for (const { name, prefix } of operation.bodyIds) {
      const before = await read();
      const body = withField(
        exampleOf(operation)?.body?.(context, bob.ids),
        name,
        alice.ids.get(prefix),
      );
      const response = await send(bob.client, operation.method, path, body);
      const what = `${label(operation)} with ${name}=<alice's ${prefix}_>`;
      const failure = judge(what, response, [400, 404]);
      if (failure !== undefined) failures.push(failure);
      const { error } = (response.body ?? {}) as { error?: { code?: string; param?: string } };
      if (error?.code !== 'resource_missing' || error.param !== name) {
        failures.push(`${what}: expected resource_missing for ${name}, got ${response.text}`);
      }
      const after = await read();
      if (JSON.stringify(after) !== JSON.stringify(before))
        failures.push(`${what}: changed ${path}`);
    }
  }
  expect(referring.length).toBeGreaterThan(0);
  expect(failures).toEqual([]);
});

it("keeps Idempotency-Keys per merchant: the other merchant's key and body make a new reply", async () => {
  const failures: string[] = [];
  for (const { operation, key, id } of aliceKeyed) {
    const path = pathOf(operation, bob);
    // The same body as alice's, but where it names a resource of hers (a refund's payment).
    const body = exampleOf(operation)?.body?.(context, bob.ids);
    const response = await send(bob.client, 'post', path, body, { 'Idempotency-Key': key });
    const failure = judge(`${label(operation)} with alice's key`, response, [200]);
    if (failure !== undefined) failures.push(failure);
    if (response.headers['idempotent-replayed'] === 'true') {
      failures.push(`${label(operation)} replayed alice's reply for her key`);
    }
    if (typeof id === 'string' && (response.body as { id?: unknown } | null)?.id === id) {
      failures.push(`${label(operation)} answered alice's ${id}`);
    }
  }
  expect(aliceKeyed.length).toBeGreaterThan(0);
  expect(failures).toEqual([]);
});

it("accepts each example request for the merchant's own resources", async () => {
  // The 404s above are about ownership only if the same requests succeed on bob's own ids.
  const failures: string[] = [];
  const keyed = new Set(aliceKeyed.map(({ operation }) => operation));
  const own = destroyingLast(
    merchantOperations().filter((o) => o.pathIds.length > 0 && !keyed.has(o)),
  );
  for (const operation of own) {
    const path = `${pathOf(operation, bob)}${queryString(baseQuery(operation))}`;
    const response = await send(
      bob.client,
      operation.method,
      path,
      exampleOf(operation)?.body?.(context, bob.ids),
    );
    const failure = judge(`${operation.method.toUpperCase()} ${path}`, response, [200]);
    if (failure !== undefined) failures.push(failure);
  }
  expect(failures).toEqual([]);
});

it('leaves every resource of the first merchant as it was, and sends bob none of its events', async () => {
  expect(Object.fromEntries(await settledViewOf(alice))).toEqual(Object.fromEntries(aliceView));

  // Still delivering to alice's URL, signed by her secret alone (not rotated).
  const customer = bodyOf(
    await alice.client.post('/v2/customers', { email: 'later@example.com' }),
  ) as Customer;
  const [request] = await alice.receiver.waitForRequests(1, { where: aboutObject(customer.id) });
  verified(request!, aliceSecret);
  expect(request!.headers['webhook-signature']?.split(' ')).toHaveLength(1);

  const received = [...bob.receiver.requests, ...sink.requests].map((r) => r.body).join('\n');
  expect([...forbidden].filter((token) => received.includes(token))).toEqual([]);
});
