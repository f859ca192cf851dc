import {
  ERASED_EMAIL,
  EventTopics,
  validatePublicEvent,
  type Customer,
  type CustomerEvent,
  type CustomerList,
} from '@finfusion/contracts';
import {
  api,
  collectEvents,
  createMerchant,
  type ApiClient,
  type ApiResponse,
  type EventCollector,
  type TestMerchant,
} from '@finfusion/testing';

// The customers API through the gateway over HTTP, against the real stack (jest's e2e setup).
let merchant: TestMerchant;
let other: TestMerchant;
let client: ApiClient;
let otherClient: ApiClient;
let events: EventCollector;

beforeAll(async () => {
  [merchant, other] = await Promise.all([createMerchant(), createMerchant()]);
  client = api(merchant.apiKey);
  otherClient = api(other.apiKey);
  events = await collectEvents(EventTopics.customers);
});
afterAll(() => events.stop());

const customerOf = (response: ApiResponse): Customer => {
  expect(response.status).toBe(200);
  return response.body as Customer;
};
const createCustomer = async (body: object = { email: 'jane@example.com' }) =>
  customerOf(await client.post('/v2/customers', body));

const expectError = (
  response: ApiResponse,
  status: number,
  error: { type: string; code?: string; param?: string },
) => {
  expect(response.status).toBe(status);
  expect(response.body).toEqual({
    error: expect.objectContaining({
      ...error,
      message: expect.any(String) as string,
      request_id: response.headers['request-id'],
    }) as object,
  });
};
const missing = (param = 'id') => ({
  type: 'invalid_request_error',
  code: 'resource_missing',
  param,
});

describe('POST /v2/customers', () => {
  it('creates a customer as the API reference shows, with a Request-Id', async () => {
    const response = await client.post('/v2/customers', {
      email: 'customer@example.com',
      name: 'John Doe',
      metadata: { company: 'Acme Inc' },
    });
    expect(response.status).toBe(200);
    expect(response.headers['request-id']).toEqual(expect.any(String));
    expect(response.body).toEqual({
      id: expect.stringMatching(/^cust_[0-9A-Za-z]+$/) as string,
      object: 'customer',
      email: 'customer@example.com',
      name: 'John Doe',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/) as string,
      metadata: { company: 'Acme Inc' },
    });
  });

  it('creates a customer from an email alone, with no name and empty metadata', async () => {
    expect(await createCustomer({ email: 'only@example.com' })).toMatchObject({
      name: null,
      metadata: {},
    });
  });

  it.each<[string, unknown, string]>([
    ['a missing email', { name: 'No Email' }, 'email'],
    ['an invalid email', { email: 'not-an-email' }, 'email'],
    ['a name of the wrong type', { email: 'a@example.com', name: 42 }, 'name'],
    ['an unknown field', { email: 'a@example.com', phone: '555' }, 'phone'],
    [
      'more than 50 metadata keys',
      {
        email: 'a@example.com',
        metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])),
      },
      'metadata',
    ],
  ])('answers 400 naming the field for %s', async (_, body, param) => {
    const response = await client.post('/v2/customers', body);
    expectError(response, 400, { type: 'invalid_request_error' });
    expect((response.body as { error: { param?: string } }).error.param).toContain(param);
  });

  it('answers 401 without an API key', async () => {
    expectError(await api().post('/v2/customers', { email: 'a@example.com' }), 401, {
      type: 'authentication_error',
    });
  });

  it('replays the first response for a repeated Idempotency-Key, creating one customer', async () => {
    const key = `cust-${Date.now()}`;
    const body = { email: 'idem@example.com', name: 'Idem' };
    const first = await client.post('/v2/customers', body, { 'Idempotency-Key': key });
    const again = await client.post('/v2/customers', body, { 'Idempotency-Key': key });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');

    const list = await client.get('/v2/customers?email=idem@example.com&limit=100');
    expect((list.body as CustomerList).data.map((c) => c.id)).toEqual([customerOf(first).id]);
  });

  it('refuses the same Idempotency-Key with a different body', async () => {
    const key = `cust-conflict-${Date.now()}`;
    customerOf(
      await client.post('/v2/customers', { email: 'one@example.com' }, { 'Idempotency-Key': key }),
    );
    const response = await client.post(
      '/v2/customers',
      { email: 'two@example.com' },
      { 'Idempotency-Key': key },
    );
    expectError(response, 400, { type: 'idempotency_error' });
  });
});

describe('GET /v2/customers/{id}', () => {
  it('returns the customer as created', async () => {
    const created = await createCustomer({ email: 'get@example.com', metadata: { a: '1' } });
    const response = await client.get(`/v2/customers/${created.id}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual(created);
  });

  it('answers 404 resource_missing for an unknown id', async () => {
    expectError(await client.get('/v2/customers/cust_doesnotexist'), 404, missing());
  });

  it("answers 404 for another merchant's customer", async () => {
    const created = await createCustomer();
    expectError(await otherClient.get(`/v2/customers/${created.id}`), 404, missing());
  });
});

describe('GET /v2/customers', () => {
  it('lists newest first, pages with starting_after and ending_before, filters by email', async () => {
    const { apiKey } = await createMerchant();
    const own = api(apiKey);
    const created: Customer[] = [];
    for (const email of ['l0@example.com', 'L1@Example.com', 'l2@example.com', 'l3@example.com']) {
      created.push(customerOf(await own.post('/v2/customers', { email })));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const newestFirst = created.map((c) => c.id).reverse();

    const first = await own.get('/v2/customers?limit=2');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ object: 'list', has_more: true });
    const firstPage = first.body as CustomerList;
    expect(firstPage.data.map((c) => c.id)).toEqual(newestFirst.slice(0, 2));

    const second = (await own.get(`/v2/customers?limit=2&starting_after=${newestFirst[1]}`))
      .body as CustomerList;
    expect(second.data.map((c) => c.id)).toEqual(newestFirst.slice(2));
    expect(second.has_more).toBe(false);

    const back = (await own.get(`/v2/customers?limit=10&ending_before=${newestFirst[2]}`))
      .body as CustomerList;
    expect(back.data.map((c) => c.id)).toEqual(newestFirst.slice(0, 2));

    const byEmail = (await own.get('/v2/customers?email=l1@example.com')).body as CustomerList;
    expect(byEmail.data).toEqual([created[1]]);

    const all = (await own.get('/v2/customers')).body as CustomerList;
    expect(all.data.map((c) => c.id)).toEqual(newestFirst);
  });

  it("never lists another merchant's customers", async () => {
    const created = await createCustomer({ email: 'private@example.com' });
    const theirs = (await otherClient.get('/v2/customers?limit=100')).body as CustomerList;
    expect(theirs.data.map((c) => c.id)).not.toContain(created.id);
  });

  it.each(['limit=0', 'limit=101', 'limit=ten'])('answers 400 for %s', async (query) => {
    expectError(await client.get(`/v2/customers?${query}`), 400, {
      type: 'invalid_request_error',
      param: 'limit',
    });
  });
});

describe('PATCH /v2/customers/{id}', () => {
  it('changes email and name and merges metadata, "" removing a key', async () => {
    const created = await createCustomer({
      email: 'patch@example.com',
      name: 'Before',
      metadata: { keep: 'k', drop: 'd' },
    });
    const response = await client.patch(`/v2/customers/${created.id}`, {
      email: 'patched@example.com',
      name: 'After',
      metadata: { drop: '', added: 'a' },
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      ...created,
      email: 'patched@example.com',
      name: 'After',
      metadata: { keep: 'k', added: 'a' },
    });
    expect((await client.get(`/v2/customers/${created.id}`)).body).toEqual(response.body);
  });

  it('answers 400 for an invalid email', async () => {
    const created = await createCustomer();
    expectError(await client.patch(`/v2/customers/${created.id}`, { email: 'nope' }), 400, {
      type: 'invalid_request_error',
      param: 'email',
    });
  });

  it("answers 404 for an unknown id or another merchant's customer", async () => {
    const created = await createCustomer();
    expectError(await client.patch('/v2/customers/cust_unknown', { name: 'X' }), 404, missing());
    expectError(
      await otherClient.patch(`/v2/customers/${created.id}`, { name: 'X' }),
      404,
      missing(),
    );
    expect(customerOf(await client.get(`/v2/customers/${created.id}`)).name).toBeNull();
  });
});

describe('DELETE /v2/customers/{id}', () => {
  it('deletes once: 200 with deleted true, then 404 for GET and for a second DELETE', async () => {
    const created = await createCustomer();
    const response = await client.delete(`/v2/customers/${created.id}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: created.id, object: 'customer', deleted: true });
    expectError(await client.get(`/v2/customers/${created.id}`), 404, missing());
    expectError(await client.delete(`/v2/customers/${created.id}`), 404, missing());
  });

  it("answers 404 for another merchant's customer and leaves it in place", async () => {
    const created = await createCustomer();
    expectError(await otherClient.delete(`/v2/customers/${created.id}`), 404, missing());
    expect((await client.get(`/v2/customers/${created.id}`)).status).toBe(200);
  });
});

describe('customers.customer.events', () => {
  it('carries customer.created, .updated and .deleted for changes made over HTTP, per the schema', async () => {
    const created = await createCustomer({ email: 'events@example.com', name: 'Ev' });
    const updated = customerOf(
      await client.patch(`/v2/customers/${created.id}`, { metadata: { stage: 'two' } }),
    );
    const ofCustomer = (type: string) =>
      events.waitFor(
        (e) => e.key === created.id && (e.value as CustomerEvent).type === type,
        30_000,
      );
    // Published before the deletion: a record sent after it carries the customer erased.
    const before = await Promise.all(['customer.created', 'customer.updated'].map(ofCustomer));
    expect((await client.delete(`/v2/customers/${created.id}`)).status).toBe(200);
    const received = [...before, await ofCustomer('customer.deleted')];
    const published = received.map((record) => record.value as CustomerEvent);
    for (const event of published) {
      expect(validatePublicEvent(event)).toEqual([]);
      expect(event.merchant_id).toBe(merchant.merchantId);
    }
    expect(published.map((e) => e.sequence)).toEqual([1, 2, 3]);
    // The deletion erased the customer's personal data: customer.deleted carries none.
    const erased = { ...updated, email: ERASED_EMAIL, name: null, metadata: {} };
    expect(published.map((e) => e.data.object)).toEqual([created, updated, erased]);
    // One partition per customer, so the order on the topic is the order of the changes.
    expect(new Set(received.map((r) => r.partition)).size).toBe(1);
    expect(received.map((r) => BigInt(r.offset))).toEqual(
      [...received.map((r) => BigInt(r.offset))].sort((a, b) => (a < b ? -1 : 1)),
    );
    expect(received[0]?.headers).toMatchObject({
      'event-type': 'customer.created',
      'merchant-id': merchant.merchantId,
    });
  });
});
