import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { api, createMerchant, testEnv } from '@finfusion/testing';
import { FUTURE_YEAR } from '../support/payments.fixture';
import { finFusionClient, type FinFusionClient } from './api-client';

// The committed openapi.json against the running gateway: it is the document the gateway serves,
// and a client generated from it (openapi-typescript types, openapi-fetch calls) works as typed.

const committed = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '..', '..', 'openapi.json'), 'utf8'),
) as unknown;

describe('the API through a client generated from openapi.json', () => {
  let client: FinFusionClient;

  beforeAll(async () => {
    client = finFusionClient(testEnv.gatewayUrl, (await createMerchant()).apiKey);
  });

  it('is the document the gateway serves on /openapi.json, with Swagger UI on /docs', async () => {
    const served = await api().get('/openapi.json');
    expect(served.status).toBe(200);
    expect(served.body).toEqual(committed);
    const ui = await api().get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('creates a customer and a payment, gets the payment and finds it in the list', async () => {
    const created = await client.POST('/v2/customers', {
      params: { header: { 'Idempotency-Key': randomUUID() } },
      body: { email: 'typed.client@example.com', name: 'Typed Client' },
    });
    expect(created.response.status).toBe(200);
    const customer = created.data;
    if (customer === undefined) throw new Error('no customer in the reply');
    expect(customer).toMatchObject({ object: 'customer', email: 'typed.client@example.com' });

    const paid = await client.POST('/v2/payments', {
      params: { header: { 'Idempotency-Key': randomUUID() } },
      body: {
        amount: { value: 2500, currency: 'EUR' },
        payment_method: {
          type: 'card',
          card: { number: '4242424242424242', exp_month: 12, exp_year: FUTURE_YEAR, cvc: '123' },
        },
        customer: customer.id,
        metadata: { order_id: 'typed-1' },
      },
    });
    expect(paid.response.status).toBe(200);
    const payment = paid.data;
    if (payment === undefined) throw new Error('no payment in the reply');
    expect(payment).toMatchObject({
      object: 'payment',
      status: 'succeeded',
      amount: { value: 2500, currency: 'EUR' },
      customer: customer.id,
      failure: null,
      metadata: { order_id: 'typed-1' },
    });
    expect(payment.payment_method.card).toMatchObject({ brand: 'visa', last4: '4242' });

    const got = await client.GET('/v2/payments/{id}', { params: { path: { id: payment.id } } });
    expect(got.response.status).toBe(200);
    expect(got.data).toEqual(payment);

    const listed = await client.GET('/v2/payments', {
      params: { query: { customer: customer.id, limit: 5 } },
    });
    expect(listed.response.status).toBe(200);
    expect(listed.data).toEqual({ object: 'list', data: [payment], has_more: false });
  });

  it('returns the documented error shape, typed, for a request the API refuses', async () => {
    const missing = await client.GET('/v2/payments/{id}', {
      params: { path: { id: 'pay_0000000000000000000000' } },
    });
    expect(missing.response.status).toBe(404);
    expect(missing.data).toBeUndefined();
    expect(missing.error?.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'resource_missing',
      param: 'id',
    });
  });
});
