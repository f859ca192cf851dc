import { randomUUID } from 'node:crypto';
import type { Payment, Refund, RefundList } from '@finfusion/contracts';
import { api, createMerchant, type ApiClient, type ApiResponse } from '@finfusion/testing';
import { expectApiError } from '../support/http-expectations.fixture';
import { paced } from '../support/paced-client.fixture';
import { paymentBody, paymentOf } from '../support/payments.fixture';

// Capture, cancellation and refunds through the gateway: what it refuses itself (bodies, query
// strings and ids), and, against the payments service's handlers, that ids of another merchant
// or of nothing are 404s and that the service's answers reach the client as they are.

/** Well-formed ids that name nothing. */
const NO_PAYMENT = 'pay_0000000000000000000000';
const NO_REFUND = 're_0000000000000000000000';

let alice: ApiClient;
let bob: ApiClient;

beforeAll(async () => {
  [alice, bob] = (await Promise.all([createMerchant(), createMerchant()])).map((m) =>
    paced(api(m.apiKey)),
  ) as [ApiClient, ApiClient];
});

const created = (response: ApiResponse): Payment => {
  expect({ status: response.status, body: response.body }).toMatchObject({ status: 200 });
  return response.body as Payment;
};

describe('refused by the gateway', () => {
  describe('POST /v2/payments with capture_method', () => {
    it.each<[string, unknown]>([
      ['an unknown capture_method', 'later'],
      ['a capture_method in upper case', 'MANUAL'],
      ['a capture_method that is no string', true],
      ['a null capture_method', null],
    ])('refuses %s naming capture_method', async (_case, value) => {
      const response = await alice.post('/v2/payments', paymentBody({}, { capture_method: value }));
      expectApiError(response, 400, {
        type: 'invalid_request_error',
        code: 'parameter_invalid',
        param: 'capture_method',
        message: 'capture_method must be one of automatic, manual.',
      });
      expect(response.text).not.toContain('4242424242424242');
    });
  });

  describe('POST /v2/payments/{id}/capture', () => {
    it.each<[string, unknown, string]>([
      ['a string amount_to_capture', { amount_to_capture: '500' }, 'parameter_invalid'],
      ['a fractional amount_to_capture', { amount_to_capture: 5.5 }, 'parameter_invalid'],
      ['a null amount_to_capture', { amount_to_capture: null }, 'parameter_invalid'],
      ['a Money object', { amount_to_capture: { value: 5, currency: 'USD' } }, 'parameter_invalid'],
      ['a zero amount_to_capture', { amount_to_capture: 0 }, 'amount_too_small'],
      [
        'an amount_to_capture over the maximum',
        { amount_to_capture: 100_000_000 },
        'amount_too_large',
      ],
    ])('refuses %s with %s naming amount_to_capture', async (_case, body, code) => {
      expectApiError(await alice.post(`/v2/payments/${NO_PAYMENT}/capture`, body), 400, {
        type: 'invalid_request_error',
        code,
        param: 'amount_to_capture',
      });
    });

    it('refuses an unknown field, a body that is no object and malformed JSON', async () => {
      const path = `/v2/payments/${NO_PAYMENT}/capture`;
      expectApiError(await alice.post(path, { amount: 500 }), 400, {
        code: 'parameter_unknown',
        param: 'amount',
      });
      expectApiError(await alice.post(path, [500]), 400, { code: 'invalid_body' });
      expectApiError(
        await alice.raw('POST', path, '{"amount_to_capture": ', {
          'content-type': 'application/json',
        }),
        400,
        { code: 'invalid_json' },
      );
    });

    it('leaves the payment as it was', async () => {
      const payment = created(await alice.post('/v2/payments', paymentBody()));
      expectApiError(
        await alice.post(`/v2/payments/${payment.id}/capture`, { amount_to_capture: '1000' }),
        400,
        { param: 'amount_to_capture' },
      );
      expect((await alice.get(`/v2/payments/${payment.id}`)).body).toEqual(payment);
    });
  });

  describe('POST /v2/payments/{id}/cancel', () => {
    it.each<[string, unknown]>([
      // The platform's own reason, for an authorization that expired: not the merchant's to give.
      ['the reason automatic', 'automatic'],
      ['an unknown reason', 'changed_mind'],
      ['a reason that is no string', 3],
      ['a null reason', null],
    ])('refuses %s naming cancellation_reason', async (_case, reason) => {
      expectApiError(
        await alice.post(`/v2/payments/${NO_PAYMENT}/cancel`, { cancellation_reason: reason }),
        400,
        { type: 'invalid_request_error', code: 'parameter_invalid', param: 'cancellation_reason' },
      );
    });

    it('refuses an unknown field', async () => {
      expectApiError(
        await alice.post(`/v2/payments/${NO_PAYMENT}/cancel`, { reason: 'duplicate' }),
        400,
        { code: 'parameter_unknown', param: 'reason' },
      );
    });
  });

  describe('POST /v2/refunds', () => {
    it.each<[string, Record<string, unknown>, string, string]>([
      ['an empty body', {}, 'parameter_missing', 'payment'],
      ['a body without payment', { amount: 100 }, 'parameter_missing', 'payment'],
      ['a null payment', { payment: null }, 'parameter_missing', 'payment'],
      [
        'a customer id as the payment',
        { payment: 'cust_7Hc2kQx9Lm4Tz1Vb8Np3Rw' },
        'parameter_invalid',
        'payment',
      ],
      ['a payment that is no string', { payment: 42 }, 'parameter_invalid', 'payment'],
      ['a string amount', { payment: NO_PAYMENT, amount: '100' }, 'parameter_invalid', 'amount'],
      ['a zero amount', { payment: NO_PAYMENT, amount: 0 }, 'amount_too_small', 'amount'],
      [
        'an unknown reason',
        { payment: NO_PAYMENT, reason: 'unhappy' },
        'parameter_invalid',
        'reason',
      ],
      [
        'metadata that is no object',
        { payment: NO_PAYMENT, metadata: 'x' },
        'invalid_metadata',
        'metadata',
      ],
      ['an unknown field', { payment: NO_PAYMENT, charge: 'ch_1' }, 'parameter_unknown', 'charge'],
    ])('refuses %s with %s naming %s', async (_case, body, code, param) => {
      expectApiError(await alice.post('/v2/refunds', body), 400, {
        type: 'invalid_request_error',
        code,
        param,
      });
    });

    it('refuses a card number in metadata without repeating it', async () => {
      const response = await alice.post('/v2/refunds', {
        payment: NO_PAYMENT,
        metadata: { note: 'card 4242424242424242' },
      });
      expectApiError(response, 400, { code: 'invalid_metadata', param: 'metadata' });
      expect(response.text).not.toContain('4242424242424242');
    });

    it('leaves the payment as it was', async () => {
      const payment = created(await alice.post('/v2/payments', paymentBody()));
      expectApiError(
        await alice.post('/v2/refunds', { payment: payment.id, reason: 'unhappy' }),
        400,
        { param: 'reason' },
      );
      expect((await alice.get(`/v2/payments/${payment.id}`)).body).toEqual(payment);
    });
  });

  describe('GET /v2/refunds and /v2/refunds/{id}', () => {
    it.each(['re_not-an-id', 'pay_3kTz9Qw2Lm8Xc4Vb7Np1Rs', '4242424242424242'])(
      'answers the id %s, which names no refund, with 404 without repeating it',
      async (id) => {
        const response = await alice.get(`/v2/refunds/${encodeURIComponent(id)}`);
        expectApiError(response, 404, {
          code: 'resource_missing',
          param: 'id',
          message: 'No such refund.',
        });
        expect(response.text).not.toContain(id);
      },
    );

    it.each([
      ['payment=cust_7Hc2kQx9Lm4Tz1Vb8Np3Rw', 'payment'],
      ['starting_after=pay_3kTz9Qw2Lm8Xc4Vb7Np1Rs', 'starting_after'],
      ['starting_after=re_a&ending_before=re_b', 'ending_before'],
      ['limit=0', 'limit'],
      ['status=succeeded', 'status'],
    ])('refuses ?%s naming %s', async (query, param) => {
      expectApiError(await alice.get(`/v2/refunds?${query}`), 400, {
        type: 'invalid_request_error',
        param,
      });
    });
  });

  it.each(['capture', 'cancel'])(
    'answers POST /v2/payments/{id}/%s with an id of no payment with 404',
    async (action) => {
      expectApiError(await alice.post(`/v2/payments/cust_1/${action}`), 404, {
        code: 'resource_missing',
        param: 'id',
        message: 'No such payment.',
      });
    },
  );

  it.each([
    ['POST', `/v2/payments/${NO_PAYMENT}/capture`],
    ['POST', `/v2/payments/${NO_PAYMENT}/cancel`],
    ['POST', '/v2/refunds'],
    ['GET', '/v2/refunds'],
    ['GET', `/v2/refunds/${NO_REFUND}`],
  ])('answers %s %s without an API key with 401', async (method, path) => {
    const response = method === 'POST' ? await api().post(path, {}) : await api().get(path);
    expectApiError(response, 401, { code: 'api_key_missing' });
  });
});

// These need the payments service to answer payments.capture, payments.cancel and refunds.*.
describe('answered by the payments service', () => {
  const manualPayment = async (client: ApiClient, value = 1000): Promise<Payment> => {
    const payment = created(
      await client.post(
        '/v2/payments',
        paymentBody({}, { amount: { value, currency: 'EUR' }, capture_method: 'manual' }),
      ),
    );
    expect(payment).toMatchObject({ status: 'requires_capture', capture_method: 'manual' });
    return payment;
  };

  describe('ids of nothing', () => {
    it.each(['capture', 'cancel'])(
      'answers POST /v2/payments/{id}/%s for no payment with 404 naming id',
      async (action) => {
        expectApiError(await alice.post(`/v2/payments/${NO_PAYMENT}/${action}`), 404, {
          code: 'resource_missing',
          param: 'id',
        });
      },
    );

    it('answers a refund of no payment with 404 naming payment', async () => {
      expectApiError(await alice.post('/v2/refunds', { payment: NO_PAYMENT }), 404, {
        code: 'resource_missing',
        param: 'payment',
      });
    });

    it('answers GET /v2/refunds/{id} for no refund with 404 naming id', async () => {
      expectApiError(await alice.get(`/v2/refunds/${NO_REFUND}`), 404, {
        code: 'resource_missing',
        param: 'id',
      });
    });
  });

  describe("another merchant's payments and refunds", () => {
    let manual: Payment;
    let captured: Payment;
    let refund: Refund;

    beforeAll(async () => {
      manual = await manualPayment(alice);
      captured = paymentOf(await alice.post('/v2/payments', paymentBody()));
      const response = await alice.post('/v2/refunds', { payment: captured.id, amount: 100 });
      expect({ status: response.status, body: response.body }).toMatchObject({ status: 200 });
      refund = response.body as Refund;
    });

    it('captures or cancels none of them: 404, and the payment stays as it was', async () => {
      for (const action of ['capture', 'cancel']) {
        const response = await bob.post(`/v2/payments/${manual.id}/${action}`);
        expectApiError(response, 404, { code: 'resource_missing', param: 'id' });
        expect(response.text).not.toContain(manual.id);
      }
      expect((await alice.get(`/v2/payments/${manual.id}`)).body).toEqual(manual);
    });

    it('refunds none of them: 404 naming payment, and no refund is made', async () => {
      const before = (await alice.get(`/v2/payments/${captured.id}`)).body as Payment;
      const response = await bob.post('/v2/refunds', { payment: captured.id });
      expectApiError(response, 404, { code: 'resource_missing', param: 'payment' });
      expect(response.text).not.toContain(captured.id);
      expect((await alice.get(`/v2/payments/${captured.id}`)).body).toEqual(before);
    });

    it('shows none of their refunds, by id or in a list', async () => {
      expectApiError(await bob.get(`/v2/refunds/${refund.id}`), 404, {
        code: 'resource_missing',
        param: 'id',
      });
      const all = await bob.get('/v2/refunds');
      expect(all.status).toBe(200);
      expect(all.text).not.toContain(refund.id);
      const filtered = await bob.get(`/v2/refunds?payment=${captured.id}`);
      expect(filtered.text).not.toContain(refund.id);
      if (filtered.status === 200) expect((filtered.body as RefundList).data).toEqual([]);
      else expectApiError(filtered, 404, { code: 'resource_missing', param: 'payment' });
    });
  });

  describe('through the gateway', () => {
    it('captures with an empty body, all of the authorized amount', async () => {
      const payment = await manualPayment(alice, 1200);
      // As `curl -X POST` sends it: no body, no Content-Type.
      const response = await alice.post(`/v2/payments/${payment.id}/capture`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        id: payment.id,
        status: 'succeeded',
        amount_captured: { value: 1200, currency: 'EUR' },
      });
    });

    it('captures part of it, and replays the answer for the same Idempotency-Key', async () => {
      const payment = await manualPayment(alice, 1200);
      const key = { 'Idempotency-Key': randomUUID() };
      const path = `/v2/payments/${payment.id}/capture`;
      const first = await alice.post(path, { amount_to_capture: 700 }, key);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        status: 'succeeded',
        amount_captured: { value: 700, currency: 'EUR' },
      });
      const again = await alice.post(path, { amount_to_capture: 700 }, key);
      expect(again.status).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
    });

    it('cancels with an empty body or with a reason', async () => {
      const bare = await manualPayment(alice);
      expect((await alice.post(`/v2/payments/${bare.id}/cancel`)).body).toMatchObject({
        id: bare.id,
        status: 'canceled',
      });
      const reasoned = await manualPayment(alice);
      const response = await alice.post(`/v2/payments/${reasoned.id}/cancel`, {
        cancellation_reason: 'requested_by_customer',
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        status: 'canceled',
        cancellation_reason: 'requested_by_customer',
      });
    });

    it("relays a refusal of the payment's state with the payment in error.payment", async () => {
      const payment = created(await alice.post('/v2/payments', paymentBody()));
      const response = await alice.post(`/v2/payments/${payment.id}/capture`, {});
      expectApiError(response, 400, {
        type: 'invalid_request_error',
        code: 'payment_unexpected_state',
      });
      expect((response.body as { error: { payment?: Payment } }).error.payment).toEqual(payment);
    });

    it('refunds once for one Idempotency-Key, and finds the refund by id and by payment', async () => {
      const payment = created(await alice.post('/v2/payments', paymentBody()));
      const key = { 'Idempotency-Key': randomUUID() };
      const body = { payment: payment.id, amount: 300, reason: 'duplicate' };
      const first = await alice.post('/v2/refunds', body, key);
      expect(first.status).toBe(200);
      const refund = first.body as Refund;
      expect(refund).toMatchObject({
        object: 'refund',
        payment: payment.id,
        amount: { value: 300, currency: 'USD' },
        reason: 'duplicate',
      });
      const again = await alice.post('/v2/refunds', body, key);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(refund);

      expect((await alice.get(`/v2/refunds/${refund.id}`)).body).toMatchObject({
        id: refund.id,
        payment: payment.id,
      });
      const listed = (await alice.get(`/v2/refunds?payment=${payment.id}`)).body as RefundList;
      expect(listed.data.map((r) => r.id)).toEqual([refund.id]);
    });
  });
});
