import { randomUUID } from 'node:crypto';
import {
  api,
  createMerchant,
  TEST_CARD_FAILURES,
  uniqueCardNumber,
  whileFrozen,
  type ApiClient,
  type ApiResponse,
} from '@finfusion/testing';
import type { Customer, Payment, PaymentEventList, PaymentList } from '@finfusion/contracts';
import { expectApiError } from '../support/http-expectations.fixture';
import { paced } from '../support/paced-client.fixture';
import { FUTURE_YEAR, paymentBody, paymentOf } from '../support/payments.fixture';

// The gateway's side of payments over HTTP against the real stack: validation, sealing,
// forwarding, the 402 shape, merchant scoping. The payments service's own tests cover its logic.
describe('payments through the gateway', () => {
  let alice: ApiClient;
  let bob: ApiClient;

  beforeAll(async () => {
    [alice, bob] = (await Promise.all([createMerchant(), createMerchant()])).map((m) =>
      paced(api(m.apiKey)),
    ) as [ApiClient, ApiClient];
  });

  const create = async (
    client: ApiClient,
    body: object = paymentBody(),
    headers: Record<string, string> = {},
  ): Promise<Payment> => {
    const response = await client.post('/v2/payments', body, headers);
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 200 });
    return response.body as Payment;
  };

  describe('POST /v2/payments', () => {
    it('creates the API reference example (with a future expiry) with 200', async () => {
      const response = await alice.post('/v2/payments', {
        amount: { value: 1000, currency: 'USD' },
        payment_method: {
          type: 'card',
          card: { number: '4242424242424242', exp_month: 12, exp_year: FUTURE_YEAR, cvc: '123' },
        },
        metadata: { order_id: 'order_123', customer_id: 'cust_456' },
      });
      expect(response.status).toBe(200);
      expect(response.headers['request-id']).toMatch(/^req_/);
      expect(response.body).toEqual({
        id: expect.stringMatching(/^pay_[0-9A-Za-z]+$/) as string,
        object: 'payment',
        status: 'succeeded',
        amount: { value: 1000, currency: 'USD' },
        amount_captured: { value: 1000, currency: 'USD' },
        amount_refunded: { value: 0, currency: 'USD' },
        capture_method: 'automatic',
        capture_before: null,
        payment_method: {
          id: expect.stringMatching(/^pm_/) as string,
          type: 'card',
          card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: FUTURE_YEAR },
        },
        customer: null,
        failure: null,
        canceled_at: null,
        cancellation_reason: null,
        refunds: [],
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) as string,
        metadata: { order_id: 'order_123', customer_id: 'cust_456' },
      });
      expect(response.text).not.toContain('4242424242424242');
      expect(response.text).not.toContain('"cvc"');
    });

    it('returns the created payment on GET, as created', async () => {
      const payment = await create(alice);
      const response = await alice.get(`/v2/payments/${payment.id}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(payment);
    });

    it.each([
      ['visa', '4242424242424242', '123'],
      ['visa (13 digits)', '4222222222222', '123'],
      ['mastercard', '5555555555554444', '123'],
      ['mastercard (2-series)', '2223003122003222', '123'],
      ['amex', '378282246310005', '1234'],
      ['discover', '6011111111111117', '123'],
      ['diners', '3056930009020004', '123'],
      ['diners (14 digits)', '36227206271667', '123'],
      ['jcb', '3566002020360505', '123'],
      ['unionpay', '6200000000000005', '123'],
    ])('detects the brand of a %s card', async (brand, number, cvc) => {
      const payment = await create(alice, paymentBody({ number, cvc }));
      expect(payment.payment_method.card).toEqual({
        brand: brand.split(' ')[0],
        last4: number.slice(-4),
        exp_month: 12,
        exp_year: FUTURE_YEAR,
      });
      expect(payment.status).toBe('succeeded');
    });

    it('accepts zero-decimal and three-decimal currencies and the limits of amount', async () => {
      for (const amount of [
        { value: 1, currency: 'JPY' },
        { value: 99_999_999, currency: 'KWD' },
        { value: 500, currency: 'EUR' },
      ]) {
        expect((await create(alice, paymentBody({}, { amount }))).amount).toEqual(amount);
      }
    });

    it('succeeds with any valid number that is not in the test card table', async () => {
      const number = uniqueCardNumber();
      const payment = await create(alice, paymentBody({ number }));
      expect(payment.status).toBe('succeeded');
      expect(payment.payment_method.card.last4).toBe(number.slice(-4));
    });
  });

  describe('402 card_error', () => {
    it.each(TEST_CARD_FAILURES)(
      'answers %s with 402 %s / %s, carrying the failed payment that GET then returns',
      async (number, code, declineCode, message) => {
        const response = await alice.post('/v2/payments', paymentBody({ number }));
        const error = expectApiError(response, 402, { type: 'card_error', code, message });
        expect((error as { decline_code?: string }).decline_code).toBe(declineCode);
        const payment = paymentOf(response);
        expect(payment).toMatchObject({
          id: expect.stringMatching(/^pay_/) as string,
          object: 'payment',
          status: 'failed',
          failure:
            declineCode === undefined
              ? { code, message }
              : { code, decline_code: declineCode, message },
          payment_method: { card: { brand: 'visa', last4: number.slice(-4) } },
        });
        const fetched = await alice.get(`/v2/payments/${payment.id}`);
        expect(fetched.status).toBe(200);
        expect(fetched.body).toEqual(payment);
      },
    );

    it('fails a card whose expiry has passed with expired_card, and keeps the expiry', async () => {
      const response = await alice.post(
        '/v2/payments',
        paymentBody({ exp_month: 1, exp_year: 2024 }),
      );
      expectApiError(response, 402, { type: 'card_error', code: 'expired_card' });
      const payment = paymentOf(response);
      expect(payment.status).toBe('failed');
      expect(payment.payment_method.card).toMatchObject({ exp_month: 1, exp_year: 2024 });
      expect((await alice.get(`/v2/payments/${payment.id}`)).body).toMatchObject({
        status: 'failed',
        failure: { code: 'expired_card' },
      });
    });

    it('keeps the failed payment in the lists, under status=failed', async () => {
      const client = paced(api((await createMerchant()).apiKey));
      const failed = paymentOf(
        await client.post('/v2/payments', paymentBody({ number: '4000000000000002' })),
      );
      const succeeded = await create(client);
      const list = (await client.get('/v2/payments?status=failed')).body as PaymentList;
      expect(list.data.map((p) => p.id)).toEqual([failed.id]);
      const all = (await client.get('/v2/payments')).body as PaymentList;
      expect(all.data.map((p) => p.id)).toEqual([succeeded.id, failed.id]);
    });
  });

  describe('400 validation, with the payments service’s codes', () => {
    // The rules are tested in libs/contracts and each field's wiring in payment.requests.spec.ts:
    // these show a rule's answer reaching the client over HTTP, whatever its code.
    it.each<[string, object, string, string]>([
      [
        'a missing amount',
        { payment_method: (paymentBody() as { payment_method: object }).payment_method },
        'parameter_missing',
        'amount',
      ],
      [
        'a zero amount',
        paymentBody({}, { amount: { value: 0, currency: 'USD' } }),
        'amount_too_small',
        'amount.value',
      ],
      [
        'a number that fails Luhn',
        paymentBody({ number: '4242424242424241' }),
        'invalid_number',
        'payment_method.card.number',
      ],
      [
        'metadata holding a card number',
        paymentBody({}, { metadata: { note: 'card 4242424242424242' } }),
        'invalid_metadata',
        'metadata',
      ],
      [
        'a customer that is no customer id',
        paymentBody({}, { customer: 'someone' }),
        'resource_missing',
        'customer',
      ],
    ])('refuses %s with %s naming %s', async (_case, body, code, param) => {
      const response = await alice.post('/v2/payments', body);
      expectApiError(response, 400, { type: 'invalid_request_error', code, param });
      expect(response.text).not.toContain('4242424242424242');
      expect(response.text).not.toMatch(/4242[ -]4242/);
    });

    it('refuses a card number sent as an unknown key without repeating it', async () => {
      const response = await alice.post(
        '/v2/payments',
        paymentBody({ '4242424242424242': '123' } as object),
      );
      expectApiError(response, 400, { code: 'parameter_unknown', param: 'payment_method.card' });
      expect(response.text).not.toContain('424242');
    });

    it('refuses a malformed body before anything else', async () => {
      expectApiError(
        await alice.raw('POST', '/v2/payments', '{"amount": ', {
          'content-type': 'application/json',
        }),
        400,
        { code: 'invalid_json' },
      );
      expectApiError(await alice.post('/v2/payments', [paymentBody()]), 400, {
        code: 'invalid_body',
      });
    });
  });

  describe('401, 413, 415', () => {
    it.each([
      ['POST', '/v2/payments'],
      ['GET', '/v2/payments'],
      ['GET', '/v2/payments/pay_1'],
      ['GET', '/v2/payments/pay_1/events'],
      ['GET', '/v2/reports/daily?from=2026-03-01&to=2026-03-31'],
    ])('answers %s %s without a key, or with a bad one, with 401', async (method, path) => {
      const body = method === 'POST' ? paymentBody() : undefined;
      const send = (client: ApiClient) =>
        method === 'POST' ? client.post(path, body) : client.get(path);
      expectApiError(await send(api()), 401, {
        type: 'authentication_error',
        code: 'api_key_missing',
      });
      expectApiError(await send(api(`sk_test_${'Z'.repeat(32)}`)), 401, {
        code: 'api_key_invalid',
      });
    });

    it('answers a body over the limit with 413', async () => {
      const body = JSON.stringify(paymentBody({}, { metadata: { note: 'x'.repeat(70_000) } }));
      expectApiError(
        await alice.raw('POST', '/v2/payments', body, { 'content-type': 'application/json' }),
        413,
        { code: 'body_too_large' },
      );
    });

    it('answers a body that is not JSON with 415', async () => {
      expectApiError(
        await alice.raw('POST', '/v2/payments', 'amount=1000', {
          'content-type': 'application/x-www-form-urlencoded',
        }),
        415,
        { code: 'unsupported_media_type' },
      );
    });
  });

  describe('Idempotency-Key', () => {
    const withKey = (key: string) => ({ 'idempotency-key': key });

    it('replays the first response for the same key and body, and creates one payment', async () => {
      const client = paced(api((await createMerchant()).apiKey));
      const key = randomUUID();
      const first = await client.post('/v2/payments', paymentBody(), withKey(key));
      expect(first.status).toBe(200);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const again = await client.post('/v2/payments', paymentBody(), withKey(key));
      expect(again.status).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.text).toBe(first.text);
      const list = (await client.get('/v2/payments')).body as PaymentList;
      expect(list.data.map((p) => p.id)).toEqual([(first.body as Payment).id]);
    });

    it('replays a 402 with the same failed payment', async () => {
      const key = randomUUID();
      const body = paymentBody({ number: '4000000000009995' });
      const first = await alice.post('/v2/payments', body, withKey(key));
      expectApiError(first, 402, { code: 'card_declined' });
      const again = await alice.post('/v2/payments', body, withKey(key));
      expect(again.status).toBe(402);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(paymentOf(again).id).toBe(paymentOf(first).id);
    });

    it('refuses the same key with another card or amount', async () => {
      const key = randomUUID();
      expect((await alice.post('/v2/payments', paymentBody(), withKey(key))).status).toBe(200);
      for (const other of [
        paymentBody({ cvc: '999' }),
        paymentBody({ number: '5555555555554444' }),
        paymentBody({}, { amount: { value: 1001, currency: 'USD' } }),
      ]) {
        expectApiError(await alice.post('/v2/payments', other, withKey(key)), 400, {
          type: 'idempotency_error',
          code: 'idempotency_key_reused',
        });
      }
    });

    it('answers a retry while the first request runs with 409, then replays the outcome', async () => {
      // Payments frozen for a moment holds the first request in flight: the retry surely finds
      // it running.
      const key = randomUUID();
      const body = paymentBody();
      const { first } = await whileFrozen('payments', async () => {
        const pending = alice.post('/v2/payments', body, withKey(key));
        await new Promise((resolve) => setTimeout(resolve, 500));
        expectApiError(await alice.post('/v2/payments', body, withKey(key)), 409, {
          type: 'idempotency_error',
          code: 'idempotency_key_in_use',
          param: 'Idempotency-Key',
        });
        return { first: pending }; // not awaited here: it answers once payments goes on
      });
      const outcome = await first;
      expect(outcome.status).toBe(200);
      const replay = await alice.post('/v2/payments', body, withKey(key));
      expect(replay.status).toBe(200);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.text).toBe(outcome.text);
    });

    it('creates one payment for concurrent requests with one key', async () => {
      const client = api((await createMerchant()).apiKey);
      const key = randomUUID();
      const responses = await Promise.all(
        Array.from({ length: 8 }, () => client.post('/v2/payments', paymentBody(), withKey(key))),
      );
      const statuses = responses.map((r) => r.status);
      expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
      for (const conflict of responses.filter((r) => r.status === 409)) {
        expectApiError(conflict, 409, {
          type: 'idempotency_error',
          code: 'idempotency_key_in_use',
        });
      }
      const ids = new Set(responses.filter((r) => r.status === 200).map((r) => paymentOf(r).id));
      expect(ids.size).toBe(1);
      const list = (await client.get('/v2/payments')).body as PaymentList;
      expect(list.data).toHaveLength(1);
    });

    it('keeps nothing for a request refused by validation, so the key can be used again', async () => {
      const key = randomUUID();
      expectApiError(
        await alice.post('/v2/payments', paymentBody({ cvc: '1' }), withKey(key)),
        400,
        {
          code: 'invalid_cvc',
        },
      );
      const retry = await alice.post('/v2/payments', paymentBody(), withKey(key));
      expect(retry.status).toBe(200);
      expect(retry.headers['idempotent-replayed']).toBeUndefined();
    });
  });

  describe('GET /v2/payments/{id}', () => {
    it('answers another merchant’s payment with 404, on the payment and on its events', async () => {
      const payment = await create(alice);
      for (const path of [`/v2/payments/${payment.id}`, `/v2/payments/${payment.id}/events`]) {
        expectApiError(await bob.get(path), 404, {
          type: 'invalid_request_error',
          code: 'resource_missing',
        });
        expect((await alice.get(path)).status).toBe(200);
      }
      const list = await bob.get('/v2/payments?limit=100');
      expect(JSON.stringify(list.body)).not.toContain(payment.id);
    });

    it('answers an unknown payment id with 404', async () => {
      for (const path of [
        '/v2/payments/pay_unknown0000000000000',
        '/v2/payments/pay_unknown0000000000000/events',
      ]) {
        expectApiError(await alice.get(path), 404, { code: 'resource_missing', param: 'id' });
      }
    });

    it('answers an id that is not a payment id with 404, repeating neither the id nor a card number', async () => {
      const error = expectApiError(await alice.get('/v2/payments/cust_1'), 404, {
        code: 'resource_missing',
        param: 'id',
      });
      expect(error.message).not.toContain('cust_1');
      const card = await alice.get('/v2/payments/4242424242424242');
      expectApiError(card, 404, { code: 'resource_missing' });
      expect(card.text).not.toContain('424242');
      const events = await alice.get('/v2/payments/4242424242424242/events');
      expectApiError(events, 404, { code: 'resource_missing' });
      expect(events.text).not.toContain('424242');
    });
  });

  describe('GET /v2/payments/{id}/events', () => {
    it('returns a succeeded payment’s events oldest first, in the public envelope', async () => {
      const payment = await create(alice);
      const response = await alice.get(`/v2/payments/${payment.id}/events`);
      expect(response.status).toBe(200);
      const list = response.body as PaymentEventList;
      expect(list.object).toBe('list');
      expect(list.has_more).toBe(false);
      expect(list.data.map((e) => [e.type, e.sequence, e.data.object.status])).toEqual([
        ['payment.created', 1, 'pending'],
        ['payment.succeeded', 2, 'succeeded'],
      ]);
      for (const event of list.data) {
        expect(event).toMatchObject({
          id: expect.stringMatching(/^evt_/) as string,
          schema_version: 2,
          created_at: expect.any(String) as string,
          data: { object: { id: payment.id, object: 'payment' } },
        });
        expect(event.merchant_id).toMatch(/^mer_/);
      }
      expect(list.data[1]?.data.object).toEqual(payment);
      expect(new Set(list.data.map((e) => e.id)).size).toBe(2);
    });

    it('returns a failed payment’s events: created, then failed with its failure', async () => {
      const failed = paymentOf(
        await alice.post('/v2/payments', paymentBody({ number: '4000000000000127' })),
      );
      const list = (await alice.get(`/v2/payments/${failed.id}/events`)).body as PaymentEventList;
      expect(list.data.map((e) => [e.type, e.sequence])).toEqual([
        ['payment.created', 1],
        ['payment.failed', 2],
      ]);
      expect(list.data[1]?.data.object).toEqual(failed);
      expect(list.data[1]?.data.object.failure).toMatchObject({ code: 'incorrect_cvc' });
    });

    it('records an expired card as created and failed', async () => {
      const failed = paymentOf(await alice.post('/v2/payments', paymentBody({ exp_year: 2024 })));
      const list = (await alice.get(`/v2/payments/${failed.id}/events`)).body as PaymentEventList;
      expect(list.data.map((e) => e.type)).toEqual(['payment.created', 'payment.failed']);
    });
  });

  describe('customers', () => {
    let customer: Customer;

    beforeAll(async () => {
      const response = await alice.post('/v2/customers', { email: 'payer@example.com' });
      expect(response.status).toBe(200);
      customer = response.body as Customer;
    });

    it('links a payment to one of the merchant’s customers, and filters by it', async () => {
      const linked = await create(alice, paymentBody({}, { customer: customer.id }));
      expect(linked.customer).toBe(customer.id);
      await create(alice);
      expect((await alice.get(`/v2/payments/${linked.id}`)).body).toMatchObject({
        customer: customer.id,
      });
      const list = (await alice.get(`/v2/payments?customer=${customer.id}`)).body as PaymentList;
      expect(list.data.map((p) => p.id)).toEqual([linked.id]);
    });

    it('links a failed payment too', async () => {
      const response = await alice.post(
        '/v2/payments',
        paymentBody({ number: '4000000000000002' }, { customer: customer.id }),
      );
      expect(paymentOf(response)).toMatchObject({ status: 'failed', customer: customer.id });
    });

    it('refuses another merchant’s customer with 400 resource_missing, naming customer', async () => {
      expectApiError(
        await bob.post('/v2/payments', paymentBody({}, { customer: customer.id })),
        400,
        { type: 'invalid_request_error', code: 'resource_missing', param: 'customer' },
      );
    });

    it('refuses a customer that does not exist', async () => {
      expectApiError(
        await alice.post(
          '/v2/payments',
          paymentBody({}, { customer: 'cust_doesNotExist0000000000' }),
        ),
        400,
        { code: 'resource_missing', param: 'customer' },
      );
    });
  });

  describe('GET /v2/payments', () => {
    let client: ApiClient;
    let payments: Payment[]; // oldest first
    let customer: Customer;

    beforeAll(async () => {
      client = paced(api((await createMerchant()).apiKey));
      customer = (await client.post('/v2/customers', { email: 'list@example.com' }))
        .body as Customer;
      payments = [];
      // 12 payments: every third failed, every fourth with the customer.
      for (let i = 0; i < 12; i++) {
        const body = paymentBody(
          { number: i % 3 === 2 ? '4000000000000002' : '4242424242424242' },
          {
            amount: { value: 100 + i, currency: 'USD' },
            ...(i % 4 === 0 && { customer: customer.id }),
          },
        );
        const response = await client.post('/v2/payments', body);
        payments.push(paymentOf(response));
      }
    });

    const list = async (query = ''): Promise<PaymentList> => {
      const response: ApiResponse = await client.get(`/v2/payments${query}`);
      expect({ status: response.status, body: response.body }).toMatchObject({ status: 200 });
      return response.body as PaymentList;
    };
    const ids = (page: PaymentList) => page.data.map((p) => p.id);
    const newestFirst = () => [...payments].reverse().map((p) => p.id);

    it('lists ten payments by default, newest first, as GET returns them', async () => {
      const page = await list();
      expect(page.object).toBe('list');
      expect(ids(page)).toEqual(newestFirst().slice(0, 10));
      expect(page.has_more).toBe(true);
      expect(page.data[0]).toEqual(payments.at(-1));
    });

    it('pages with limit, starting_after and ending_before', async () => {
      const all = newestFirst();
      const first = await list('?limit=5');
      expect(ids(first)).toEqual(all.slice(0, 5));
      expect(first.has_more).toBe(true);
      const second = await list(`?limit=5&starting_after=${all[4]}`);
      expect(ids(second)).toEqual(all.slice(5, 10));
      const last = await list(`?limit=5&starting_after=${all[9]}`);
      expect(ids(last)).toEqual(all.slice(10));
      expect(last.has_more).toBe(false);
      const back = await list(`?limit=5&ending_before=${all[5]}`);
      expect(ids(back)).toEqual(all.slice(0, 5));
      expect((await list('?limit=100')).data).toHaveLength(12);
    });

    it('filters by status', async () => {
      expect(ids(await list('?status=failed&limit=100'))).toEqual(
        newestFirst().filter((id) => payments.find((p) => p.id === id)?.status === 'failed'),
      );
      expect((await list('?status=succeeded&limit=100')).data).toHaveLength(8);
      expect((await list('?status=pending')).data).toHaveLength(0);
    });

    it('filters by customer, and combines filters', async () => {
      const mine = payments.filter((p) => p.customer === customer.id);
      expect(mine).toHaveLength(3);
      expect(ids(await list(`?customer=${customer.id}`))).toEqual(mine.reverse().map((p) => p.id));
      const failed = mine.filter((p) => p.status === 'failed').map((p) => p.id);
      expect(failed).toHaveLength(1);
      expect(ids(await list(`?customer=${customer.id}&status=failed`))).toEqual(failed);
      expect(ids(await list(`?customer=${customer.id}&status=pending`))).toEqual([]);
    });

    it('filters by created[gte] and created[lte], bounds included, brackets encoded or not', async () => {
      const from = payments[3]!.created_at;
      const to = payments[8]!.created_at;
      const inRange = payments
        .filter((p) => p.created_at >= from && p.created_at <= to)
        .reverse()
        .map((p) => p.id);
      expect(inRange.length).toBeGreaterThanOrEqual(6);
      expect(ids(await list(`?limit=100&created[gte]=${from}&created[lte]=${to}`))).toEqual(
        inRange,
      );
      expect(ids(await list(`?limit=100&created%5Bgte%5D=${from}&created%5Blte%5D=${to}`))).toEqual(
        inRange,
      );
      expect(ids(await list(`?limit=100&created[gte]=${from}`))).toEqual(
        payments
          .filter((p) => p.created_at >= from)
          .reverse()
          .map((p) => p.id),
      );
      expect((await list('?created[gte]=2999-01-01T00:00:00Z')).data).toHaveLength(0);
      expect((await list('?created[lte]=2000-01-01T00:00:00Z')).data).toHaveLength(0);
    });

    it.each([
      ['?limit=abc', 'limit'],
      ['?starting_after=pay_a&ending_before=pay_b', 'ending_before'],
      ['?created[gte]=2026-03-01', 'created[gte]'],
      ['?created[gt]=2026-03-01T00:00:00Z', 'created[gt]'],
      ['?created=2026-03-01T00:00:00Z', 'created'],
      ['?sort=asc', 'sort'],
    ])('refuses %s with 400 naming %s', async (query, param) => {
      const response = await client.get(`/v2/payments${query}`);
      const error = expectApiError(response, 400, { type: 'invalid_request_error', param });
      expect(['parameter_invalid', 'parameter_unknown']).toContain(error.code);
    });

    it('refuses a cursor of another merchant', async () => {
      expectApiError(await bob.get(`/v2/payments?starting_after=${payments[0]!.id}`), 400, {
        param: 'starting_after',
      });
    });
  });
});
