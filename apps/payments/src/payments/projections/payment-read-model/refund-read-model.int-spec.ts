import { newId, type Refund, type RefundList, type SuccessReply } from '@finfusion/contracts';
import { eventMetadata } from '@finfusion/event-store';
import { newMerchantId } from '@finfusion/testing';
import { requestMeta, testDatabase } from '../../../testing/database.fixture';
import { createPayload, paymentsService } from '../../../testing/payments.fixture';
import { decide, type PaymentCommand } from '../../domain/payment.decider';
import { keptCard } from '../../domain/payment.fixture';
import { rebuildPaymentsTable } from './payment-read-model.rebuild';

const db = testDatabase();
let service: ReturnType<typeof paymentsService>;

beforeAll(() => {
  service = paymentsService(db);
});

/** Runs a command on the payment's stream as the service's handlers do. */
const run = (merchantId: string, paymentId: string, command: PaymentCommand) =>
  service.payments.handleCommand(paymentId, (state) => decide(command, state), {
    metadata: eventMetadata(requestMeta(merchantId)),
  });

const paid = async (merchantId: string) => {
  const reply = await service.create.handle({
    meta: requestMeta(merchantId),
    payload: createPayload(),
  });
  if (!reply.ok) throw new Error(`create failed: ${JSON.stringify(reply)}`);
  return reply.body.id;
};

/** A manual payment, authorized: it requires capture. */
const authorized = async (merchantId: string) => {
  const paymentId = newId('pay');
  const now = new Date();
  await run(merchantId, paymentId, {
    type: 'CreatePayment',
    data: {
      paymentId,
      paymentMethodId: newId('pm'),
      merchantId,
      amount: { value: 1000, currency: 'EUR' },
      card: keptCard,
      customerId: null,
      metadata: {},
      captureMethod: 'manual',
      now,
    },
  });
  await run(merchantId, paymentId, {
    type: 'RecordAuthorization',
    data: {
      paymentId,
      result: { approved: true, reference: `auth_${paymentId}` },
      now,
      captureBefore: new Date(now.getTime() + 60_000),
    },
  });
  return paymentId;
};

const refund = async (
  merchantId: string,
  paymentId: string,
  amount: number,
  outcome: 'succeeded' | 'failed' | 'pending',
) => {
  const refundId = newId('re');
  const now = new Date();
  await run(merchantId, paymentId, {
    type: 'CreateRefund',
    data: {
      paymentId,
      refundId,
      amount,
      reason: 'requested_by_customer',
      metadata: { n: '1' },
      now,
    },
  });
  if (outcome !== 'pending') {
    await run(merchantId, paymentId, {
      type: 'RecordRefundOutcome',
      data: {
        paymentId,
        refundId,
        now,
        result:
          outcome === 'succeeded'
            ? { succeeded: true, reference: `ref_${refundId}` }
            : { succeeded: false, failure: { code: 'declined', message: 'Declined.' } },
      },
    });
  }
  return refundId;
};

const getRefund = async (merchantId: string, id: string) =>
  service.getRefund.handle({ meta: requestMeta(merchantId), payload: { id } });

const listRefunds = async (merchantId: string, payload: Record<string, unknown>) =>
  (await service.listRefunds.handle({
    meta: requestMeta(merchantId),
    payload: { limit: 10, ...payload },
  })) as SuccessReply<RefundList>;

describe('the refunds read model', () => {
  it('answers each refund as its payment stream left it, for its merchant only', async () => {
    const merchant = newMerchantId();
    const paymentId = await paid(merchant);
    const ok = await refund(merchant, paymentId, 100, 'succeeded');
    const failed = await refund(merchant, paymentId, 200, 'failed');
    const pending = await refund(merchant, paymentId, 300, 'pending');

    const got = await getRefund(merchant, ok);
    expect(got).toEqual({
      ok: true,
      status: 200,
      body: {
        id: ok,
        object: 'refund',
        payment: paymentId,
        amount: { value: 100, currency: 'USD' },
        status: 'succeeded',
        reason: 'requested_by_customer',
        failure: null,
        metadata: { n: '1' },
        created_at: expect.any(String) as string,
      } satisfies Refund,
    });
    expect(await getRefund(merchant, failed)).toMatchObject({
      body: { status: 'failed', failure: { code: 'declined', message: 'Declined.' } },
    });
    expect(await getRefund(merchant, pending)).toMatchObject({ body: { status: 'pending' } });
    expect(await getRefund(newMerchantId(), ok)).toMatchObject({
      ok: false,
      status: 404,
      error: { code: 'resource_missing' },
    });

    const payment = await service.get.handle({
      meta: requestMeta(merchant),
      payload: { id: paymentId },
    });
    expect(payment).toMatchObject({
      body: {
        amount_captured: { value: 1000 },
        amount_refunded: { value: 100 },
        refunds: [ok, failed, pending],
      },
    });
  });

  it('lists a merchant’s refunds newest first, of one payment when asked, page by page', async () => {
    const merchant = newMerchantId();
    const first = await paid(merchant);
    const second = await paid(merchant);
    const ids: string[] = [];
    for (const paymentId of [first, second, first, second]) {
      ids.push(await refund(merchant, paymentId, 10, 'succeeded'));
    }
    const other = newMerchantId();
    await refund(other, await paid(other), 10, 'succeeded');

    const all = await listRefunds(merchant, {});
    expect(all.body.data.map((r) => r.id)).toEqual([...ids].reverse());
    const ofFirst = await listRefunds(merchant, { payment: first });
    expect(ofFirst.body.data.map((r) => r.id)).toEqual([ids[2], ids[0]]);

    const page = await listRefunds(merchant, { limit: 2 });
    expect(page.body).toMatchObject({ has_more: true });
    const next = await listRefunds(merchant, { limit: 2, starting_after: page.body.data[1]?.id });
    expect(next.body.data.map((r) => r.id)).toEqual([ids[1], ids[0]]);

    expect(await listRefunds(merchant, { payment: 'cust_1' })).toMatchObject({
      ok: false,
      status: 400,
      error: { param: 'payment' },
    });
  });

  it('rebuilds the refunds and the manual payments, from the log alone, as the live model wrote them', async () => {
    const merchant = newMerchantId();
    const refunded = await paid(merchant);
    await refund(merchant, refunded, 250, 'succeeded');
    await refund(merchant, refunded, 50, 'failed');
    const waiting = await authorized(merchant);
    const canceled = await authorized(merchant);
    await run(merchant, canceled, {
      type: 'CancelPayment',
      data: { paymentId: canceled, reason: 'abandoned', now: new Date() },
    });
    const capturedInPart = await authorized(merchant);
    await run(merchant, capturedInPart, {
      type: 'CapturePayment',
      data: { paymentId: capturedInPart, amountToCapture: 400, now: new Date() },
    });

    const rows = async () => ({
      payments: await db.dataSource.query<Record<string, unknown>[]>(
        `SELECT * FROM "${db.schema}".payments WHERE merchant_id = $1 ORDER BY id COLLATE "C"`,
        [merchant],
      ),
      refunds: await db.dataSource.query<Record<string, unknown>[]>(
        `SELECT * FROM "${db.schema}".refunds WHERE merchant_id = $1 ORDER BY id COLLATE "C"`,
        [merchant],
      ),
    });
    const live = await rows();
    expect(live.payments).toHaveLength(4);
    expect(live.refunds).toHaveLength(2);
    expect(live.payments.map((p) => p.status).sort()).toEqual([
      'canceled',
      'requires_capture',
      'succeeded',
      'succeeded',
    ]);
    expect(live.payments.find((p) => p.id === waiting)).toMatchObject({
      capture_method: 'manual',
      amount_captured: 0,
      capture_before: expect.any(Date) as Date,
    });
    expect(live.payments.find((p) => p.id === capturedInPart)).toMatchObject({
      amount_captured: 400,
    });
    expect(live.payments.find((p) => p.id === canceled)).toMatchObject({
      cancellation_reason: 'abandoned',
      canceled_at: expect.any(Date) as Date,
    });

    // Damage the read model: the log is the truth, the tables only a view of it.
    await db.dataSource.query(`DELETE FROM "${db.schema}".refunds WHERE merchant_id = $1`, [
      merchant,
    ]);
    await db.dataSource.query(
      `UPDATE "${db.schema}".payments SET amount_refunded = 0, refunds = '[]' WHERE merchant_id = $1`,
      [merchant],
    );
    await rebuildPaymentsTable(db.dataSource, db.store);
    expect(await rows()).toEqual(live);
  });
});
