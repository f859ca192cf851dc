import type {
  ErrorReply,
  Payment,
  PaymentEventList,
  ServiceReply,
  SuccessReply,
} from '@finfusion/contracts';
import { newId, validatePublicEvent } from '@finfusion/contracts';
import { newMerchantId, TEST_CARD_FAILURES, uniqueCardNumber } from '@finfusion/testing';
import { requestMeta, testDatabase } from '../../testing/database.fixture';
import { createPayload, paymentsService } from '../../testing/payments.fixture';
import type { AuthorizationRequest } from '../acquirer/acquirer';
import { TestAcquirer } from '../acquirer/test-acquirer';
import type { AuthorizationResult } from '../domain/payment.decider';

const db = testDatabase();
let service: ReturnType<typeof paymentsService>;

beforeAll(() => {
  service = paymentsService(db);
});

const succeededBody = (reply: ServiceReply<Payment>): Payment => {
  expect(reply).toMatchObject({ ok: true, status: 200 });
  return (reply as SuccessReply<Payment>).body;
};

const failedReply = (reply: ServiceReply<unknown>): ErrorReply => {
  expect(reply.ok).toBe(false);
  return reply as ErrorReply;
};

const create = (merchantId: string, payload: unknown, key?: string) =>
  service.create.handle({ meta: requestMeta(merchantId, key), payload });

const get = (merchantId: string, id: string) =>
  service.get.handle({ meta: requestMeta(merchantId), payload: { id } });

const paymentsOf = async (merchantId: string): Promise<number> => {
  const [row] = await db.dataSource.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM "${db.schema}".payments WHERE merchant_id = $1`,
    [merchantId],
  );
  return row?.n ?? 0;
};

/** Counts calls and can fail the first ones, as an acquirer that times out would. */
class CountingAcquirer extends TestAcquirer {
  calls = 0;
  constructor(private failFirst = 0) {
    super();
  }
  override async authorize(request: AuthorizationRequest): Promise<AuthorizationResult> {
    this.calls++;
    if (this.failFirst > 0) {
      this.failFirst--;
      throw new Error('acquirer timed out');
    }
    return new TestAcquirer().authorize(request);
  }
}

describe('payments.create', () => {
  it('answers 200 with a succeeded payment that GET then returns (read-your-writes)', async () => {
    const merchant = newMerchantId();
    const payment = succeededBody(await create(merchant, createPayload()));
    expect(payment).toEqual({
      id: expect.stringMatching(/^pay_/) as string,
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
        card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030 },
      },
      customer: null,
      failure: null,
      canceled_at: null,
      cancellation_reason: null,
      refunds: [],
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/) as string,
      metadata: { order_id: 'order_123' },
    });
    expect(await get(merchant, payment.id)).toEqual({ ok: true, status: 200, body: payment });
  });

  it.each(TEST_CARD_FAILURES)(
    'answers 402 for test card %s: %s / %s, and GET shows it failed',
    async (number, code, declineCode) => {
      const merchant = newMerchantId();
      const reply = failedReply(await create(merchant, createPayload({ number })));
      expect(reply.status).toBe(402);
      expect(reply.error).toMatchObject({
        type: 'card_error',
        code,
        message: expect.any(String) as string,
      });
      expect(reply.error.decline_code).toBe(declineCode);
      const payment = reply.error.payment as Payment;
      expect(payment).toMatchObject({
        status: 'failed',
        failure: { code, message: reply.error.message },
      });
      expect(payment.failure?.decline_code).toBe(declineCode);
      expect(await get(merchant, payment.id)).toEqual({ ok: true, status: 200, body: payment });
    },
  );

  it('fails a card whose expiry has passed with expired_card, without asking the acquirer', async () => {
    const acquirer = new CountingAcquirer();
    const local = paymentsService(db, { acquirer });
    const payload = createPayload();
    payload.payment_method.card.exp_year = 2024;
    const reply = failedReply(
      await local.create.handle({ meta: requestMeta(newMerchantId()), payload }),
    );
    expect(reply).toMatchObject({
      status: 402,
      error: { type: 'card_error', code: 'expired_card' },
    });
    expect(acquirer.calls).toBe(0);
    const history = await db.store.readStream(
      db.dataSource.manager,
      (reply.error.payment as Payment).id,
    );
    expect(history.map((e) => e.type)).toEqual(['PaymentCreated', 'PaymentFailed']);
  });

  it('keeps the whole history as public events, in order', async () => {
    const merchant = newMerchantId();
    const payment = failedReply(
      await create(merchant, createPayload({ number: '4000000000000002' })),
    ).error.payment as Payment;
    const reply = await service.events.handle({
      meta: requestMeta(merchant),
      payload: { id: payment.id },
    });
    const events = (reply as SuccessReply<PaymentEventList>).body;
    expect(events.has_more).toBe(false);
    expect(events.data.map((e) => [e.type, e.sequence, e.data.object.status])).toEqual([
      ['payment.created', 1, 'pending'],
      ['payment.failed', 2, 'failed'],
    ]);
    for (const event of events.data) expect(validatePublicEvent(event)).toEqual([]);
    expect(events.data[1]?.data.object).toEqual(payment);
  });

  it("answers 404 for another merchant's payment, on GET and on its events", async () => {
    const payment = succeededBody(await create(newMerchantId(), createPayload()));
    const other = newMerchantId();
    expect(await get(other, payment.id)).toMatchObject({
      status: 404,
      error: { code: 'resource_missing', param: 'id' },
    });
    expect(
      await service.events.handle({ meta: requestMeta(other), payload: { id: payment.id } }),
    ).toMatchObject({ status: 404 });
    expect(await get(other, 'pay_doesnotexist')).toMatchObject({ status: 404 });
  });

  it('answers 400 naming the field, and stores nothing, for an invalid request', async () => {
    const merchant = newMerchantId();
    const reply = failedReply(await create(merchant, createPayload({ cvc: '12' })));
    expect(reply).toMatchObject({
      status: 400,
      error: { code: 'invalid_cvc', param: 'payment_method.card.cvc' },
    });
    expect(await paymentsOf(merchant)).toBe(0);
  });
});

describe('payments.create with a customer', () => {
  it('accepts a live customer of the merchant and refuses any other with 400 customer', async () => {
    const merchant = newMerchantId();
    const [mine, theirs, deleted, unknown] = [
      newId('cust'),
      newId('cust'),
      newId('cust'),
      newId('cust'),
    ];
    // What the customers service published: a customer of each merchant, and one since deleted.
    const learn = (customerId: string, merchantId: string, gone: boolean, sequence: number) =>
      service.customers.record({ customerId, merchantId, deleted: gone, sequence });
    await learn(mine, merchant, false, 1);
    await learn(theirs, newMerchantId(), false, 1);
    await learn(deleted, merchant, false, 1);
    await learn(deleted, merchant, true, 2);

    expect(succeededBody(await create(merchant, createPayload({ customer: mine }))).customer).toBe(
      mine,
    );
    for (const customer of [theirs, deleted, unknown]) {
      expect(await create(merchant, createPayload({ customer }))).toMatchObject({
        status: 400,
        error: { type: 'invalid_request_error', code: 'resource_missing', param: 'customer' },
      });
    }
    expect(await paymentsOf(merchant)).toBe(1);
  });

  it('asks the customers service about a customer it has not heard of, and records the answer', async () => {
    const merchant = newMerchantId();
    const [fresh, theirs] = [newId('cust'), newId('cust')];
    service.customersService.known.set(fresh, {
      customerId: fresh,
      merchantId: merchant,
      deleted: false,
      sequence: 1,
    });
    service.customersService.known.set(theirs, {
      customerId: theirs,
      merchantId: newMerchantId(),
      deleted: false,
      sequence: 1,
    });
    expect(succeededBody(await create(merchant, createPayload({ customer: fresh }))).customer).toBe(
      fresh,
    );
    expect(await create(merchant, createPayload({ customer: theirs }))).toMatchObject({
      status: 400,
      error: { code: 'resource_missing', param: 'customer' },
    });
    // Both answers are recorded: the next payments do not ask again.
    const asked = service.customersService.asked.length;
    expect(succeededBody(await create(merchant, createPayload({ customer: fresh }))).customer).toBe(
      fresh,
    );
    expect((await create(merchant, createPayload({ customer: theirs }))).status).toBe(400);
    expect(service.customersService.asked).toHaveLength(asked);
  });

  it('answers 503 at once, creating nothing, when the customers service cannot tell', async () => {
    const merchant = newMerchantId();
    service.customersService.reachable = false;
    try {
      const started = Date.now();
      expect(await create(merchant, createPayload({ customer: newId('cust') }))).toMatchObject({
        ok: false,
        status: 503,
        error: { type: 'api_error', code: 'service_unavailable' },
      });
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      service.customersService.reachable = true;
    }
    expect(await paymentsOf(merchant)).toBe(0);
  });
});

describe('payments.create with an Idempotency-Key', () => {
  it('answers a retry with the same payment and creates no second one', async () => {
    const merchant = newMerchantId();
    const key = `key-${newId('req')}`;
    const payload = createPayload({ number: '4000000000009995' });
    const first = failedReply(await create(merchant, payload, key));
    const again = failedReply(await create(merchant, payload, key));
    expect(again).toEqual(first);
    expect(await paymentsOf(merchant)).toBe(1);
  });

  it('scopes the key to the merchant', async () => {
    const key = `key-${newId('req')}`;
    const a = succeededBody(await create(newMerchantId(), createPayload(), key));
    const b = succeededBody(await create(newMerchantId(), createPayload(), key));
    expect(a.id).not.toBe(b.id);
  });

  it('refuses the key with other parameters: idempotency_error', async () => {
    const merchant = newMerchantId();
    const key = `key-${newId('req')}`;
    await create(merchant, createPayload(), key);
    for (const changed of [
      createPayload({ amount: { value: 2000, currency: 'USD' } }),
      createPayload({ number: '5555555555554444' }),
      createPayload({ metadata: { order_id: 'other' } }),
    ]) {
      expect(await create(merchant, changed, key)).toMatchObject({
        status: 400,
        error: { type: 'idempotency_error', code: 'idempotency_key_reused' },
      });
    }
    expect(await paymentsOf(merchant)).toBe(1);
  });

  it('creates one payment from many concurrent requests with one key, and answers all alike', async () => {
    const merchant = newMerchantId();
    const key = `key-${newId('req')}`;
    const payload = createPayload({ number: uniqueCardNumber() });
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => create(merchant, payload, key)),
    );
    const ids = new Set(replies.map((reply) => succeededBody(reply).id));
    expect(ids.size).toBe(1);
    expect(await paymentsOf(merchant)).toBe(1);
    const [keys] = await db.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${db.schema}".idempotency_keys WHERE merchant_id = $1`,
      [merchant],
    );
    expect(keys?.n).toBe(1);
    const [id] = [...ids];
    expect(await db.store.readStream(db.dataSource.manager, id!)).toHaveLength(2);
  });

  it('finishes the authorization of a payment a crash left pending when the request is retried', async () => {
    const acquirer = new CountingAcquirer(1);
    const local = paymentsService(db, { acquirer });
    const merchant = newMerchantId();
    const key = `key-${newId('req')}`;
    const payload = createPayload({ number: '4000000000000127' });
    const send = () => local.create.handle({ meta: requestMeta(merchant, key), payload });

    await expect(send()).rejects.toThrow('acquirer timed out');
    const [pending] = await db.dataSource.query<{ id: string; status: string }[]>(
      `SELECT id, status FROM "${db.schema}".payments WHERE merchant_id = $1`,
      [merchant],
    );
    expect(pending?.status).toBe('pending');

    const retried = failedReply(await send());
    expect(retried).toMatchObject({ status: 402, error: { code: 'incorrect_cvc' } });
    expect((retried.error.payment as Payment).id).toBe(pending?.id);
    expect(acquirer.calls).toBe(2);
    expect(await paymentsOf(merchant)).toBe(1);
  });
});
