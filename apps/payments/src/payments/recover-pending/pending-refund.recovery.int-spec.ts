import type { Refund, ServiceReply, SuccessReply } from '@finfusion/contracts';
import { newMerchantId } from '@finfusion/testing';
import { requestMeta, testDatabase } from '../../testing/database.fixture';
import { createPayload, paymentsService, TestClock } from '../../testing/payments.fixture';
import { AcquirerUnavailable, type RefundRequest } from '../acquirer/acquirer';
import { TestAcquirer } from '../acquirer/test-acquirer';
import { postgresLedgers } from '../acquirer/test-acquirer.ledger';
import type { RefundResult } from '../domain/payment.decider';
import { PendingRefundRecovery } from './pending-refund.recovery';

const AFTER_MS = 30_000;

const db = testDatabase({ PAYMENTS_PENDING_RECOVERY_AFTER_MS: String(AFTER_MS) });
let clock: TestClock;
let service: ReturnType<typeof paymentsService>;

beforeAll(() => {
  clock = new TestClock();
  service = paymentsService(db, { clock });
});

/** Never answers a refund: as if the connection failed before the request went out. */
class Unreachable extends TestAcquirer {
  constructor() {
    super(postgresLedgers(db.dataSource));
  }
  override refund(_request: RefundRequest): Promise<RefundResult> {
    return Promise.reject(new AcquirerUnavailable('connection refused'));
  }
}

const recovery = () =>
  new PendingRefundRecovery(
    db.dataSource,
    service.payments,
    service.refundOutcomes,
    clock,
    db.config,
  );

const bodyOf = <B>(reply: ServiceReply<B>): B => {
  expect(reply).toMatchObject({ ok: true, status: 200 });
  return (reply as SuccessReply<B>).body;
};

const refundOf = async (merchantId: string, id: string) =>
  bodyOf<Refund>(
    await service.getRefund.handle({ meta: requestMeta(merchantId), payload: { id } }),
  );

const typesOf = async (paymentId: string) =>
  (await db.store.readStream(db.dataSource.manager, paymentId)).map((e) => e.type);

describe('the recovery of pending refunds', () => {
  it('asks the acquirer again about a refund left pending, and records its answer once', async () => {
    const merchant = newMerchantId();
    const payment = bodyOf(
      await service.create.handle({ meta: requestMeta(merchant), payload: createPayload() }),
    );
    const unreachable = paymentsService(db, { clock, acquirer: new Unreachable() });
    const pending = bodyOf(
      await unreachable.createRefund.handle({
        meta: requestMeta(merchant),
        payload: { payment: payment.id, amount: 400 },
      }),
    );
    expect(pending.status).toBe('pending');

    // Too young: left alone.
    await recovery().sweep();
    expect((await refundOf(merchant, pending.id)).status).toBe('pending');

    clock.current = new Date(clock.current.getTime() + AFTER_MS + 1000);
    const completed = await Promise.all([recovery().sweep(), recovery().sweep()]);
    expect(completed.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    expect(await refundOf(merchant, pending.id)).toEqual({ ...pending, status: 'succeeded' });
    expect(await typesOf(payment.id)).toEqual([
      'PaymentCreated',
      'PaymentSucceeded',
      'RefundCreated',
      'RefundSucceeded',
    ]);
    expect(await recovery().recover(payment.id, pending.id)).toBe(true);
    expect(await typesOf(payment.id)).toHaveLength(4);
  });
});
