import { api, createMerchant, type ApiClient } from '@finfusion/testing';
import type { Customer } from '@finfusion/contracts';
import { expectApiError } from '../support/http-expectations.fixture';

// The gateway's side of customers: validation, merchant scoping, forwarding. The customers
// service's own e2e tests cover its behaviour and events.
describe('customers through the gateway', () => {
  let alice: ApiClient;
  let bob: ApiClient;

  beforeAll(async () => {
    [alice, bob] = (await Promise.all([createMerchant(), createMerchant()])).map((m) =>
      api(m.apiKey),
    ) as [ApiClient, ApiClient];
  });

  const create = async (client: ApiClient, body: object = { email: 'a@example.com' }) => {
    const response = await client.post('/v2/customers', body);
    expect(response.status).toBe(200);
    return response.body as Customer;
  };

  it('creates a customer as in the API reference, with 200', async () => {
    const response = await alice.post('/v2/customers', {
      email: 'customer@example.com',
      name: 'John Doe',
      metadata: { company: 'Acme Inc' },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: expect.stringMatching(/^cust_/) as string,
      email: 'customer@example.com',
      name: 'John Doe',
      metadata: { company: 'Acme Inc' },
      created_at: expect.any(String) as string,
    });
  });

  it('answers another merchant’s customer with 404 on every route', async () => {
    const customer = await create(alice);
    expectApiError(await bob.get(`/v2/customers/${customer.id}`), 404, {
      code: 'resource_missing',
    });
    expectApiError(await bob.patch(`/v2/customers/${customer.id}`, { name: 'Mallory' }), 404);
    expectApiError(await bob.delete(`/v2/customers/${customer.id}`), 404);
    const list = await bob.get('/v2/customers?limit=100');
    expect(JSON.stringify(list.body)).not.toContain(customer.id);
    expect((await alice.get(`/v2/customers/${customer.id}`)).status).toBe(200);
  });

  it('refuses a cursor of another merchant', async () => {
    const customer = await create(alice);
    expectApiError(await bob.get(`/v2/customers?starting_after=${customer.id}`), 400, {
      param: 'starting_after',
    });
  });

  it('answers an id that is not a customer id with 404 without asking the service', async () => {
    const error = expectApiError(await alice.get('/v2/customers/not-an-id'), 404, {
      type: 'invalid_request_error',
      code: 'resource_missing',
      param: 'id',
    });
    // Ids are not repeated back: what was typed in place of one may be a card number.
    expect(error.message).toBe('No such customer.');
  });

  it.each([
    ['a missing email', {}, 'parameter_missing', 'email'],
    ['an invalid email', { email: 'not-an-email' }, 'parameter_invalid', 'email'],
    ['an email that is not a string', { email: 42 }, 'parameter_invalid', 'email'],
    [
      'an email over 254 characters',
      { email: `${'a'.repeat(250)}@example.com` },
      'parameter_invalid',
      'email',
    ],
    [
      'a name over 256 characters',
      { email: 'a@example.com', name: 'n'.repeat(257) },
      'parameter_invalid',
      'name',
    ],
    [
      'a name that is not a string',
      { email: 'a@example.com', name: ['John'] },
      'parameter_invalid',
      'name',
    ],
    ['an unknown field', { email: 'a@example.com', phone: '123' }, 'parameter_unknown', 'phone'],
    [
      'a metadata value that is not a string',
      { email: 'a@example.com', metadata: { company: 1 } },
      'parameter_invalid',
      'metadata.company',
    ],
    [
      'a metadata key over 40 characters',
      { email: 'a@example.com', metadata: { ['k'.repeat(41)]: 'v' } },
      'parameter_invalid',
      `metadata.${'k'.repeat(41)}`,
    ],
    [
      'a metadata value over 500 characters',
      { email: 'a@example.com', metadata: { note: 'v'.repeat(501) } },
      'parameter_invalid',
      'metadata.note',
    ],
    [
      'metadata with 51 keys',
      {
        email: 'a@example.com',
        metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])),
      },
      'parameter_invalid',
      'metadata',
    ],
    ['null metadata', { email: 'a@example.com', metadata: null }, 'parameter_invalid', 'metadata'],
  ])('refuses %s on create, naming the field', async (_case, body, code, param) => {
    expectApiError(await alice.post('/v2/customers', body), 400, {
      type: 'invalid_request_error',
      code,
      param,
    });
  });

  it('accepts a null name and metadata at the limits', async () => {
    const customer = await create(alice, {
      email: 'limits@example.com',
      name: null,
      metadata: Object.fromEntries(
        Array.from({ length: 50 }, (_, i) => [`k${i}`.padEnd(40, 'x'), 'v'.repeat(500)]),
      ),
    });
    expect(customer.name).toBeNull();
    expect(Object.keys(customer.metadata)).toHaveLength(50);
  });

  it('refuses an invalid update, naming the field', async () => {
    const customer = await create(alice);
    expectApiError(await alice.patch(`/v2/customers/${customer.id}`, { email: null }), 400, {
      param: 'email',
    });
    expectApiError(await alice.patch(`/v2/customers/${customer.id}`, { id: 'cust_other' }), 400, {
      code: 'parameter_unknown',
      param: 'id',
    });
  });

  it('validates list parameters', async () => {
    expect((await alice.get('/v2/customers?limit=100')).status).toBe(200);
    expectApiError(await alice.get('/v2/customers?limit=101'), 400, { param: 'limit' });
    expectApiError(await alice.get('/v2/customers?limit=0'), 400, { param: 'limit' });
    expectApiError(
      await alice.get('/v2/customers?starting_after=cust_a&ending_before=cust_b'),
      400,
      {
        param: 'ending_before',
      },
    );
  });

  it('lists ten customers by default, newest first, filtered by email', async () => {
    const client = api((await createMerchant()).apiKey);
    for (let i = 0; i < 11; i++)
      await create(client, { email: i === 3 ? 'needle@example.com' : `c${i}@example.com` });
    const page = (await client.get('/v2/customers')).body as {
      object: string;
      data: Customer[];
      has_more: boolean;
    };
    expect(page.object).toBe('list');
    expect(page.data).toHaveLength(10);
    expect(page.has_more).toBe(true);
    const filtered = (await client.get('/v2/customers?email=needle@example.com')).body as {
      data: Customer[];
    };
    expect(filtered.data.map((c) => c.email)).toEqual(['needle@example.com']);
  });

  it('deletes a customer, which is then gone', async () => {
    const customer = await create(alice);
    const response = await alice.delete(`/v2/customers/${customer.id}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: customer.id, object: 'customer', deleted: true });
    expectApiError(await alice.get(`/v2/customers/${customer.id}`), 404);
  });
});
