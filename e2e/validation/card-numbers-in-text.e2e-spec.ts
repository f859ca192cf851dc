import { randomUUID } from 'node:crypto';
import {
  api,
  createMerchant,
  query,
  serviceLogs,
  uniqueCardNumber,
  type ApiClient,
  type ApiResponse,
} from '@finfusion/testing';
import type { Customer } from '@finfusion/contracts';
import { expectApiError } from '../support/http-expectations.fixture';
import { paced } from '../support/paced-client.fixture';
import { paymentBody } from '../support/payments.fixture';

// A card number typed into any text the platform stores, publishes or logs is refused with a
// 400 naming the field, and the number goes nowhere: not in the answer, the logs or a table.

/** The digits with at most one space or dash between any two. */
const digitsPattern = (digits: string): string => digits.split('').join('[ -]?');

/** Written as people write them: in groups of four. */
const grouped = (number: string): string => number.replace(/(\d{4})(?=\d)/g, '$1 ');

describe('a card number in free text', () => {
  let client: ApiClient;
  let customer: Customer;
  const numbers: string[] = [];

  const cardNumber = (): string => {
    const number = uniqueCardNumber('4');
    numbers.push(number);
    return number;
  };

  const expectRefused = (response: ApiResponse, param: string, code = 'parameter_invalid') => {
    expectApiError(response, 400, { type: 'invalid_request_error', code, param });
    for (const number of numbers)
      expect(response.text).not.toMatch(new RegExp(digitsPattern(number)));
  };

  beforeAll(async () => {
    client = paced(api((await createMerchant()).apiKey));
    customer = (await client.post('/v2/customers', { email: 'in-text@example.com' }))
      .body as Customer;
  });

  it.each([
    ['a customer name', (n: string) => ({ email: 'a@example.com', name: `Jane ${n}` }), 'name'],
    ['a customer email', (n: string) => ({ email: `${n}@example.com` }), 'email'],
    [
      'customer metadata',
      (n: string) => ({ email: 'a@example.com', metadata: { note: n } }),
      'metadata.note',
    ],
  ])('in %s is refused naming the field', async (_case, body, param) => {
    expectRefused(await client.post('/v2/customers', body(grouped(cardNumber()))), param);
  });

  it('in a customer update is refused naming the field', async () => {
    const response = await client.patch(`/v2/customers/${customer.id}`, {
      name: `Jane ${cardNumber()}`,
    });
    expectRefused(response, 'name');
  });

  it('in webhook endpoint metadata is refused naming the field', async () => {
    const response = await client.post('/v2/webhooks', {
      url: 'http://127.0.0.1:9/hooks',
      events: ['*'],
      metadata: { note: cardNumber().replace(/(\d{4})(?=\d)/g, '$1-') },
    });
    expectRefused(response, 'metadata.note');
  });

  it('in payment metadata is refused naming the field, while the card field takes one', async () => {
    const refused = await client.post(
      '/v2/payments',
      paymentBody({}, { metadata: { note: `card ${cardNumber()} exp 12/30` } }),
    );
    // Payments answer metadata problems with a code of their own.
    expectRefused(refused, 'metadata', 'invalid_metadata');
    expect((await client.post('/v2/payments', paymentBody())).status).toBe(200);
  });

  it('in a query string is refused naming the parameter', async () => {
    expectRefused(await client.get(`/v2/customers?email=${cardNumber()}`), 'email');
  });

  it.each([
    ['Idempotency-Key', 'post'],
    ['X-Correlation-Id', 'get'],
  ] as const)('in the %s header is refused naming the header', async (header, method) => {
    const headers = { [header]: `order-${cardNumber()}` };
    const response =
      method === 'post'
        ? await client.post('/v2/customers', { email: 'header@example.com' }, headers)
        : await client.get('/v2/customers', undefined, headers);
    expectRefused(response, header);
  });

  it('answers an unknown id with 404, without repeating the id', async () => {
    const id = `cust_${randomUUID().replace(/-/g, '')}`;
    const response = await client.get(`/v2/customers/${id}`);
    expectApiError(response, 404, { code: 'resource_missing', message: 'No such customer.' });
    expect(response.text).not.toContain(id);
  });

  it('reaches no table and no log of the gateway or the services', async () => {
    expect(numbers.length).toBeGreaterThanOrEqual(9);
    const pattern = numbers.map(digitsPattern).join('|');
    const tables = (
      await query(
        `SELECT format('%I.%I', table_schema, table_name) AS name
           FROM information_schema.tables
          WHERE table_type = 'BASE TABLE'
            AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
      )
    ).map((row) => String(row.name));
    expect(tables).toContain('customers.customers');
    const found: string[] = [];
    for (const table of tables) {
      const [row] = await query(`SELECT count(*)::int AS n FROM ${table} t WHERE t::text ~ $1`, [
        pattern,
      ]);
      if (Number(row?.n) > 0) found.push(table);
    }
    expect(found).toEqual([]);
    for (const app of ['gateway', 'customers', 'payments', 'webhook-dispatcher'] as const) {
      const logs = serviceLogs(app);
      expect(logs.length).toBeGreaterThan(0);
      expect({ app, leaks: new RegExp(pattern).test(logs) }).toEqual({ app, leaks: false });
    }
  });
});
