import type { ErrorReply, Payment, ServiceReply, SuccessReply } from '@finfusion/contracts';
import { newMerchantId, TEST_REFUND_FAILURES } from '@finfusion/testing';
import { requestMeta, testDatabase } from '../../testing/database.fixture';
import { createPayload, paymentsService } from '../../testing/payments.fixture';
import { AcquirerUnavailable, type RefundRequest } from '../acquirer/acquirer';
import { TestAcquirer } from '../acquirer/test-acquirer';
import { postgresLedgers } from '../acquirer/test-acquirer.ledger';
import type { RefundResult } from '../domain/payment.decider';

const db = testDatabase();
let service: ReturnType<typeof paymentsService>;

beforeAll(() => {
  service = paymentsService(db);
});

const bodyOf = <B>(reply: ServiceReply<B>): B => {
  expect(reply).toMatchObject({ ok: true, status: 200 });
  return (reply as SuccessReply<B>).body;
};

const errorOf = (reply: ServiceReply<unknown>): ErrorReply => {
  expect(reply.ok).toBe(false);
  return reply as ErrorReply;
};

const paid = async (merchantId: string, overrides: Parameters<typeof createPayload>[0] = {}) =>
  bodyOf(
    await service.create.handle({
      meta: requestMeta(merchantId),
      payload: createPayload(overrides),
    }),
  );

const refund = (merchantId: string, payload: unknown, key?: string, over = service) =>
  over.createRefund.handle({ meta: requestMeta(merchantId, key), payload });

const get = async (merchantId: string, id: string) =>
  bodyOf(await service.get.handle({ meta: requestMeta(merchantId), payload: { id } }));

const typesOf = async (paymentId: string) =>
  (await db.store.readStream(db.dataSource.manager, paymentId)).map((e) => e.type);

const count = (types: string[], type: string) => types.filter((t) => t === type).length;

describe('refunds.create', () => {
  it('refunds all that is left by default, and the payment shows it', async () => {
    const merchant = newMerchantId();
    const payment = await paid(merchant);
    const created = bodyOf(
      await refund(merchant, {
        payment: payment.id,
        reason: 'requested_by_customer',
        metadata: { ticket: 't_1' },
      }),
    );
    expect(created).toEqual({
      id: expect.stringMatching(/^re_[0-9A-Za-z]{22}$/) as string,
      object: 'refund',
      payment: payment.id,
      amount: { value: 1000, currency: 'USD' },
      status: 'succeeded',
      reason: 'requested_by_customer',
      failure: null,
      metadata: { ticket: 't_1' },
      created_at: expect.any(String) as string,
    });
    expect(await get(merchant, payment.id)).toMatchObject({
      status: 'succeeded',
      amount_refunded: { value: 1000, currency: 'USD' },
      refunds: [created.id],
    });
    expect(
      bodyOf(
        await service.getRefund.handle({
          meta: requestMeta(merchant),
          payload: { id: created.id },
        }),
      ),
    ).toEqual(created);
    expect(await typesOf(payment.id)).toEqual([
      'PaymentCreated',
      'PaymentSucceeded',
      'RefundCreated',
      'RefundSucceeded',
    ]);
  });

  it('refunds in parts, and refuses what would go past the amount captured, naming the limit', async () => {
    const merchant = newMerchantId();
    const payment = await paid(merchant);
    bodyOf(await refund(merchant, { payment: payment.id, amount: 600 }));
    const before = await typesOf(payment.id);
    const reply = errorOf(await refund(merchant, { payment: payment.id, amount: 401 }));
    expect(reply).toMatchObject({
      status: 400,
      error: {
        type: 'invalid_request_error',
        code: 'amount_too_large',
        param: 'amount',
        payment: { id: payment.id, amount_refunded: { value: 600 } },
      },
    });
    expect(reply.error.message).toContain('400');
    expect(await typesOf(payment.id)).toEqual(before);
    bodyOf(await refund(merchant, { payment: payment.id, amount: 400 }));
    expect(errorOf(await refund(merchant, { payment: payment.id, amount: 1 }))).toMatchObject({
      status: 400,
      error: { code: 'charge_already_refunded', payment: { amount_refunded: { value: 1000 } } },
    });
  });

  it('refunds a manual payment within what was captured', async () => {
    const merchant = newMerchantId();
    const { id } = await paid(merchant, { capture_method: 'manual' });
    expect(errorOf(await refund(merchant, { payment: id }))).toMatchObject({
      status: 400,
      error: { code: 'payment_unexpected_state', payment: { status: 'requires_capture' } },
    });
    bodyOf(
      await service.capture.handle({
        meta: requestMeta(merchant),
        payload: { id, amount_to_capture: 300 },
      }),
    );
    expect(errorOf(await refund(merchant, { payment: id, amount: 301 })).error.code).toBe(
      'amount_too_large',
    );
    expect(bodyOf(await refund(merchant, { payment: id })).amount.value).toBe(300);
  });

  it('refuses a refund of a failed or canceled payment, naming the status needed, and writes nothing', async () => {
    const merchant = newMerchantId();
    const failed = errorOf(
      await service.create.handle({
        meta: requestMeta(merchant),
        payload: createPayload({ number: '4000000000000002' }),
      }),
    ).error.payment as Payment;
    const canceled = await paid(merchant, { capture_method: 'manual' });
    bodyOf(
      await service.cancel.handle({ meta: requestMeta(merchant), payload: { id: canceled.id } }),
    );
    for (const { id, status } of [failed, { id: canceled.id, status: 'canceled' }]) {
      const before = await typesOf(id);
      const reply = errorOf(await refund(merchant, { payment: id }));
      expect(reply).toMatchObject({
        status: 400,
        error: { code: 'payment_unexpected_state', payment: { id, status } },
      });
      expect(reply.error.message).toContain(status);
      expect(reply.error.message).toContain('succeeded');
      expect(await typesOf(id)).toEqual(before);
    }
  });

  it("answers 404 param payment for an unknown payment or another merchant's", async () => {
    const payment = await paid(newMerchantId());
    for (const id of [payment.id, 'pay_doesnotexist']) {
      expect(errorOf(await refund(newMerchantId(), { payment: id }))).toMatchObject({
        status: 404,
        error: { type: 'invalid_request_error', code: 'resource_missing', param: 'payment' },
      });
    }
    expect(await typesOf(payment.id)).toEqual(['PaymentCreated', 'PaymentSucceeded']);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['a missing payment', { payment: undefined }, 'parameter_missing', 'payment'],
    ['a payment that is no payment id', { payment: 'cust_1' }, 'parameter_invalid', 'payment'],
    ['a zero amount', { amount: 0 }, 'amount_too_small', 'amount'],
    ['a fractional amount', { amount: 2.5 }, 'parameter_invalid', 'amount'],
    ['an unknown reason', { reason: 'abandoned' }, 'parameter_invalid', 'reason'],
    ['metadata that is not an object', { metadata: 'x' }, 'invalid_metadata', 'metadata'],
    ['an unknown field', { amount_to_capture: 5 }, 'parameter_unknown', 'amount_to_capture'],
  ])('refuses %s, naming the field, and writes nothing', async (_, change, code, param) => {
    const merchant = newMerchantId();
    const payment = await paid(merchant);
    const payload = { payment: payment.id, ...change };
    expect(errorOf(await refund(merchant, payload))).toMatchObject({
      status: 400,
      error: { type: 'invalid_request_error', code, param },
    });
    expect(await typesOf(payment.id)).toEqual(['PaymentCreated', 'PaymentSucceeded']);
  });

  it('decides 50 concurrent refunds of a tenth each: exactly 10 succeed, the rest are refused', async () => {
    const merchant = newMerchantId();
    const payment = await paid(merchant);
    const replies = await Promise.all(
      Array.from({ length: 50 }, () => refund(merchant, { payment: payment.id, amount: 100 })),
    );
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 400)).toHaveLength(40);
    for (const reply of replies) {
      if (reply.ok)
        expect(reply.body).toMatchObject({ status: 'succeeded', amount: { value: 100 } });
      else expect(['amount_too_large', 'charge_already_refunded']).toContain(reply.error.code);
    }
    const types = await typesOf(payment.id);
    expect(count(types, 'RefundCreated')).toBe(10);
    expect(count(types, 'RefundSucceeded')).toBe(10);
    expect(await get(merchant, payment.id)).toMatchObject({
      amount_refunded: { value: 1000 },
      refunds: expect.any(Array) as unknown[],
    });
    expect((await get(merchant, payment.id)).refunds).toHaveLength(10);
  });

  it.each(TEST_REFUND_FAILURES)(
    'fails every refund of test card %s with %s, and the amount can be refunded again',
    async (number, code, message) => {
      const merchant = newMerchantId();
      const payment = await paid(merchant, { number });
      const failed = bodyOf(await refund(merchant, { payment: payment.id, amount: 700 }));
      expect(failed).toMatchObject({ status: 'failed', failure: { code, message } });
      expect(await get(merchant, payment.id)).toMatchObject({ amount_refunded: { value: 0 } });
      // A failed refund gives nothing back, so all of it is still refundable (and fails again).
      expect(bodyOf(await refund(merchant, { payment: payment.id }))).toMatchObject({
        status: 'failed',
        amount: { value: 1000 },
      });
      const types = await typesOf(payment.id);
      expect(count(types, 'RefundFailed')).toBe(2);
    },
  );
});

describe('refunds.create under an Idempotency-Key', () => {
  it('answers a retry with the refund its key created, once', async () => {
    const merchant = newMerchantId();
    const payment = await paid(merchant);
    const key = `key-${merchant}`;
    const first = bodyOf(await refund(merchant, { payment: payment.id, amount: 300 }, key));
    const again = bodyOf(await refund(merchant, { payment: payment.id, amount: 300 }, key));
    expect(again).toEqual(first);
    expect(count(await typesOf(payment.id), 'RefundCreated')).toBe(1);
  });

  it('takes a key per refund: many keyed refunds of one payment, itself created under a key', async () => {
    const merchant = newMerchantId();
    const payment = bodyOf(
      await service.create.handle({
        meta: requestMeta(merchant, `pay-${merchant}`),
        payload: createPayload(),
      }),
    );
    const replies = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        refund(merchant, { payment: payment.id, amount: 100 }, `refund-${i}-${merchant}`),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(replies.map((r) => bodyOf(r).id)).size).toBe(5);
    expect((await get(merchant, payment.id)).amount_refunded.value).toBe(500);
  });

  it('creates one refund for concurrent requests with the same key', async () => {
    const merchant = newMerchantId();
    const payment = await paid(merchant);
    const key = `key-${merchant}`;
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => refund(merchant, { payment: payment.id, amount: 100 }, key)),
    );
    const ids = new Set(replies.map((r) => bodyOf(r).id));
    expect(ids.size).toBe(1);
    expect(count(await typesOf(payment.id), 'RefundCreated')).toBe(1);
  });

  it('refuses the key for another amount or another payment, and writes nothing', async () => {
    const merchant = newMerchantId();
    const [one, other] = [await paid(merchant), await paid(merchant)];
    const key = `key-${merchant}`;
    bodyOf(await refund(merchant, { payment: one.id, amount: 300 }, key));
    for (const payload of [
      { payment: one.id, amount: 200 },
      { payment: other.id, amount: 300 },
    ]) {
      expect(errorOf(await refund(merchant, payload, key))).toMatchObject({
        status: 400,
        error: { type: 'idempotency_error', code: 'idempotency_key_reused' },
      });
    }
    expect(count(await typesOf(one.id), 'RefundCreated')).toBe(1);
    expect(count(await typesOf(other.id), 'RefundCreated')).toBe(0);
  });

  it('refuses a key that created a payment', async () => {
    const merchant = newMerchantId();
    const key = `key-${merchant}`;
    const payment = bodyOf(
      await service.create.handle({ meta: requestMeta(merchant, key), payload: createPayload() }),
    );
    expect(errorOf(await refund(merchant, { payment: payment.id }, key)).error.code).toBe(
      'idempotency_key_reused',
    );
    expect(count(await typesOf(payment.id), 'RefundCreated')).toBe(0);
  });

  it('keeps two merchants’ same key apart', async () => {
    const [a, b] = [newMerchantId(), newMerchantId()];
    const [pa, pb] = [await paid(a), await paid(b)];
    const ra = bodyOf(await refund(a, { payment: pa.id }, 'shared-key'));
    const rb = bodyOf(await refund(b, { payment: pb.id }, 'shared-key'));
    expect(ra.id).not.toBe(rb.id);
  });
});

describe('a refund the acquirer does not answer', () => {
  /** Refunds reach the acquirer, whose answers are lost on the way back. */
  class LosesRefundAnswers extends TestAcquirer {
    constructor() {
      super(postgresLedgers(db.dataSource));
    }
    override async refund(request: RefundRequest): Promise<RefundResult> {
      await super.refund(request);
      throw new AcquirerUnavailable('the acquirer did not answer in time');
    }
  }

  it('answers pending, and a retry with the key completes it with the answer the acquirer kept', async () => {
    const merchant = newMerchantId();
    const payment = await paid(merchant);
    const key = `key-${merchant}`;
    const lossy = paymentsService(db, { acquirer: new LosesRefundAnswers() });
    const pending = bodyOf(
      await refund(merchant, { payment: payment.id, amount: 250 }, key, lossy),
    );
    expect(pending).toMatchObject({ status: 'pending', amount: { value: 250 } });
    // Pending money is not refundable twice.
    expect(errorOf(await refund(merchant, { payment: payment.id, amount: 751 })).error.code).toBe(
      'amount_too_large',
    );
    const completed = bodyOf(await refund(merchant, { payment: payment.id, amount: 250 }, key));
    expect(completed).toEqual({ ...pending, status: 'succeeded' });
    const types = await typesOf(payment.id);
    expect(count(types, 'RefundCreated')).toBe(1);
    expect(count(types, 'RefundSucceeded')).toBe(1);
  });
});
