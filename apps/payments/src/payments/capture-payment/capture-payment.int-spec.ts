import type { ErrorReply, Payment, ServiceReply, SuccessReply } from '@finfusion/contracts';
import { newMerchantId } from '@finfusion/testing';
import { requestMeta, testDatabase } from '../../testing/database.fixture';
import { createPayload, paymentsService, TestClock } from '../../testing/payments.fixture';

const WINDOW_MS = 3_600_000;

const db = testDatabase({ AUTHORIZATION_CAPTURE_WINDOW_MS: String(WINDOW_MS) });
let clock: TestClock;
let service: ReturnType<typeof paymentsService>;

beforeAll(() => {
  clock = new TestClock(new Date('2026-03-15T12:00:00.000Z'));
  service = paymentsService(db, { clock });
});

const bodyOf = <B>(reply: ServiceReply<B>): B => {
  expect(reply).toMatchObject({ ok: true, status: 200 });
  return (reply as SuccessReply<B>).body;
};

const errorOf = (reply: ServiceReply<unknown>): ErrorReply => {
  expect(reply.ok).toBe(false);
  return reply as ErrorReply;
};

const create = async (merchantId: string, payload: unknown) =>
  bodyOf(await service.create.handle({ meta: requestMeta(merchantId), payload }));

const manual = (merchantId: string, value = 1000) =>
  create(
    merchantId,
    createPayload({ capture_method: 'manual', amount: { value, currency: 'USD' } }),
  );

const capture = (merchantId: string, payload: unknown) =>
  service.capture.handle({ meta: requestMeta(merchantId), payload });

const cancel = (merchantId: string, payload: unknown) =>
  service.cancel.handle({ meta: requestMeta(merchantId), payload });

const get = async (merchantId: string, id: string) =>
  bodyOf(await service.get.handle({ meta: requestMeta(merchantId), payload: { id } }));

const typesOf = async (paymentId: string) =>
  (await db.store.readStream(db.dataSource.manager, paymentId)).map((e) => e.type);

describe('payments.create with capture_method manual', () => {
  it('answers 200 with a payment that requires capture until the end of the window', async () => {
    const merchant = newMerchantId();
    const payment = await manual(merchant);
    expect(payment).toMatchObject({
      status: 'requires_capture',
      capture_method: 'manual',
      amount_captured: { value: 0, currency: 'USD' },
      capture_before: new Date(clock.current.getTime() + WINDOW_MS).toISOString(),
    });
    expect(await get(merchant, payment.id)).toEqual(payment);
    expect(await typesOf(payment.id)).toEqual(['PaymentCreated', 'PaymentAuthorized']);
  });

  it('refuses an unknown capture method, naming it, and creates nothing', async () => {
    const merchant = newMerchantId();
    const reply = errorOf(
      await service.create.handle({
        meta: requestMeta(merchant),
        payload: createPayload({ capture_method: 'later' as 'manual' }),
      }),
    );
    expect(reply).toMatchObject({
      status: 400,
      error: { type: 'invalid_request_error', code: 'parameter_invalid', param: 'capture_method' },
    });
    const [row] = await db.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${db.schema}".payments WHERE merchant_id = $1`,
      [merchant],
    );
    expect(row?.n).toBe(0);
  });
});

describe('payments.capture', () => {
  it('captures the whole authorization by default', async () => {
    const merchant = newMerchantId();
    const { id } = await manual(merchant);
    const captured = bodyOf(await capture(merchant, { id }));
    expect(captured).toMatchObject({
      id,
      status: 'succeeded',
      amount_captured: { value: 1000, currency: 'USD' },
    });
    expect(await get(merchant, id)).toEqual(captured);
    expect(await typesOf(id)).toEqual(['PaymentCreated', 'PaymentAuthorized', 'PaymentCaptured']);
  });

  it('captures part of the authorization when asked', async () => {
    const merchant = newMerchantId();
    const { id } = await manual(merchant);
    const captured = bodyOf(await capture(merchant, { id, amount_to_capture: 750 }));
    expect(captured).toMatchObject({ status: 'succeeded', amount_captured: { value: 750 } });
  });

  it('refuses more than the authorization, naming the limit, and writes nothing', async () => {
    const merchant = newMerchantId();
    const payment = await manual(merchant);
    const reply = errorOf(await capture(merchant, { id: payment.id, amount_to_capture: 1001 }));
    expect(reply).toEqual({
      ok: false,
      status: 400,
      error: {
        type: 'invalid_request_error',
        code: 'amount_too_large',
        param: 'amount_to_capture',
        message: expect.stringContaining('1000') as string,
        payment,
      },
    });
    expect(await typesOf(payment.id)).toEqual(['PaymentCreated', 'PaymentAuthorized']);
  });

  it('refuses a payment that does not require capture, naming both statuses', async () => {
    const merchant = newMerchantId();
    const automatic = await create(merchant, createPayload());
    const reply = errorOf(await capture(merchant, { id: automatic.id }));
    expect(reply).toMatchObject({
      status: 400,
      error: {
        type: 'invalid_request_error',
        code: 'payment_unexpected_state',
        payment: automatic,
      },
    });
    expect(reply.error.message).toContain('succeeded');
    expect(reply.error.message).toContain('requires_capture');
    expect(await typesOf(automatic.id)).toEqual(['PaymentCreated', 'PaymentSucceeded']);
  });

  it('refuses a second capture, and a capture of a canceled payment', async () => {
    const merchant = newMerchantId();
    const first = await manual(merchant);
    bodyOf(await capture(merchant, { id: first.id }));
    expect(errorOf(await capture(merchant, { id: first.id })).error.code).toBe(
      'payment_unexpected_state',
    );
    const second = await manual(merchant);
    bodyOf(await cancel(merchant, { id: second.id }));
    const reply = errorOf(await capture(merchant, { id: second.id }));
    expect(reply.error).toMatchObject({
      code: 'payment_unexpected_state',
      payment: { status: 'canceled' },
    });
    expect(await typesOf(second.id)).toEqual([
      'PaymentCreated',
      'PaymentAuthorized',
      'PaymentCanceled',
    ]);
  });

  it("answers 404 param id for an unknown payment, another merchant's, or a malformed id", async () => {
    const payment = await manual(newMerchantId());
    for (const id of [payment.id, 'pay_doesnotexist', 'cust_123', 42]) {
      expect(errorOf(await capture(newMerchantId(), { id }))).toMatchObject({
        status: 404,
        error: { type: 'invalid_request_error', code: 'resource_missing', param: 'id' },
      });
    }
    expect(await typesOf(payment.id)).toEqual(['PaymentCreated', 'PaymentAuthorized']);
  });

  it.each<[unknown, string, string]>([
    [0, 'amount_too_small', 'amount_to_capture'],
    [12.5, 'parameter_invalid', 'amount_to_capture'],
    ['500', 'parameter_invalid', 'amount_to_capture'],
  ])('refuses amount_to_capture %p with %s', async (amount, code, param) => {
    const merchant = newMerchantId();
    const { id } = await manual(merchant);
    expect(errorOf(await capture(merchant, { id, amount_to_capture: amount }))).toMatchObject({
      status: 400,
      error: { code, param },
    });
    expect(await typesOf(id)).toEqual(['PaymentCreated', 'PaymentAuthorized']);
  });

  it('refuses an unknown field', async () => {
    const merchant = newMerchantId();
    const { id } = await manual(merchant);
    expect(errorOf(await capture(merchant, { id, amount: 5 }))).toMatchObject({
      status: 400,
      error: { code: 'parameter_unknown', param: 'amount' },
    });
  });

  it('lets one of concurrent captures and cancellations of a payment win, and refuses the others', async () => {
    for (let round = 0; round < 5; round++) {
      const merchant = newMerchantId();
      const { id } = await manual(merchant);
      const replies = await Promise.all([
        capture(merchant, { id }),
        cancel(merchant, { id }),
        capture(merchant, { id, amount_to_capture: 400 }),
        cancel(merchant, { id, cancellation_reason: 'duplicate' }),
      ]);
      const won = replies.filter((r) => r.ok);
      expect(won).toHaveLength(1);
      for (const lost of replies.filter((r) => !r.ok)) {
        expect(lost).toMatchObject({ status: 400, error: { code: 'payment_unexpected_state' } });
      }
      const winner = (won[0] as SuccessReply<Payment>).body;
      expect(await get(merchant, id)).toEqual(winner);
      const types = await typesOf(id);
      expect(types).toHaveLength(3);
      expect(types[2]).toBe(winner.status === 'canceled' ? 'PaymentCanceled' : 'PaymentCaptured');
    }
  });
});
