import type { ErrorReply, ServiceReply, SuccessReply } from '@finfusion/contracts';
import { newMerchantId } from '@finfusion/testing';
import { requestMeta, testDatabase } from '../../testing/database.fixture';
import { createPayload, paymentsService, TestClock } from '../../testing/payments.fixture';

const db = testDatabase();
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

describe('payments.cancel', () => {
  it('cancels an authorization with the reason given', async () => {
    const merchant = newMerchantId();
    const { id } = await manual(merchant);
    const canceled = bodyOf(
      await cancel(merchant, { id, cancellation_reason: 'requested_by_customer' }),
    );
    expect(canceled).toMatchObject({
      status: 'canceled',
      cancellation_reason: 'requested_by_customer',
      canceled_at: clock.current.toISOString(),
      amount_captured: { value: 0 },
    });
    expect(await get(merchant, id)).toEqual(canceled);
  });

  it('cancels without a reason', async () => {
    const merchant = newMerchantId();
    const { id } = await manual(merchant);
    expect(bodyOf(await cancel(merchant, { id }))).toMatchObject({
      status: 'canceled',
      cancellation_reason: null,
    });
  });

  it('refuses a captured, automatic or already canceled payment, and writes nothing', async () => {
    const merchant = newMerchantId();
    const captured = await manual(merchant);
    bodyOf(await capture(merchant, { id: captured.id }));
    const automatic = await create(merchant, createPayload());
    const canceled = await manual(merchant);
    bodyOf(await cancel(merchant, { id: canceled.id }));
    for (const id of [captured.id, automatic.id, canceled.id]) {
      const before = await typesOf(id);
      const reply = errorOf(await cancel(merchant, { id }));
      expect(reply).toMatchObject({
        status: 400,
        error: { code: 'payment_unexpected_state', payment: { id } },
      });
      expect(reply.error.message).toContain('requires_capture');
      expect(await typesOf(id)).toEqual(before);
    }
  });

  it('refuses a reason a merchant cannot give, naming the field', async () => {
    const merchant = newMerchantId();
    const { id } = await manual(merchant);
    for (const reason of ['automatic', 'bored']) {
      expect(errorOf(await cancel(merchant, { id, cancellation_reason: reason }))).toMatchObject({
        status: 400,
        error: { code: 'parameter_invalid', param: 'cancellation_reason' },
      });
    }
    expect(await typesOf(id)).toEqual(['PaymentCreated', 'PaymentAuthorized']);
  });

  it("answers 404 for another merchant's payment", async () => {
    const { id } = await manual(newMerchantId());
    expect(errorOf(await cancel(newMerchantId(), { id }))).toMatchObject({
      status: 404,
      error: { code: 'resource_missing', param: 'id' },
    });
  });
});
