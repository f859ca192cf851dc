import type { Payment, ServiceReply, SuccessReply } from '@finfusion/contracts';
import { newMerchantId } from '@finfusion/testing';
import { requestMeta, testDatabase } from '../../testing/database.fixture';
import { createPayload, paymentsService, TestClock } from '../../testing/payments.fixture';
import { TestAcquirer } from '../acquirer/test-acquirer';
import { postgresLedgers } from '../acquirer/test-acquirer.ledger';
import { AuthorizationExpiry } from './authorization-expiry';

const WINDOW_MS = 60_000;

const db = testDatabase({ AUTHORIZATION_CAPTURE_WINDOW_MS: String(WINDOW_MS) });
let clock: TestClock;
let service: ReturnType<typeof paymentsService>;
let acquirer: TestAcquirer;

beforeAll(() => {
  clock = new TestClock(new Date('2026-03-15T12:00:00.000Z'));
  acquirer = new TestAcquirer(postgresLedgers(db.dataSource));
  service = paymentsService(db, { clock, acquirer });
});

/** A replica's expiry process: a new one reads only what the database holds, as after a restart. */
const expiry = () =>
  new AuthorizationExpiry(db.dataSource, service.payments, acquirer, clock, db.config);

const bodyOf = <B>(reply: ServiceReply<B>): B => {
  expect(reply).toMatchObject({ ok: true, status: 200 });
  return (reply as SuccessReply<B>).body;
};

const authorized = async (merchantId: string) =>
  bodyOf(
    await service.create.handle({
      meta: requestMeta(merchantId),
      payload: createPayload({ capture_method: 'manual' }),
    }),
  );

const get = async (merchantId: string, id: string) =>
  bodyOf(await service.get.handle({ meta: requestMeta(merchantId), payload: { id } }));

const typesOf = async (paymentId: string) =>
  (await db.store.readStream(db.dataSource.manager, paymentId)).map((e) => e.type);

/** Moves the clock past the capture window of every payment authorized so far. */
const pastTheWindow = () => {
  clock.current = new Date(clock.current.getTime() + WINDOW_MS + 1000);
};

/** Only this test's payments: earlier tests' overdue ones may be swept by the same sweep. */
const statusesOf = async (merchantId: string, ids: string[]) =>
  Promise.all(ids.map(async (id) => (await get(merchantId, id)).status));

describe('the authorization expiry', () => {
  it('cancels an authorization whose capture_before has passed, with reason automatic', async () => {
    const merchant = newMerchantId();
    const payment = await authorized(merchant);

    // Not yet due: left alone.
    await expiry().sweep();
    expect(await typesOf(payment.id)).toEqual(['PaymentCreated', 'PaymentAuthorized']);

    pastTheWindow();
    expect(await expiry().sweep()).toBeGreaterThanOrEqual(1);
    const canceled = await get(merchant, payment.id);
    expect(canceled).toMatchObject({
      status: 'canceled',
      cancellation_reason: 'automatic',
      canceled_at: clock.current.toISOString(),
      amount_captured: { value: 0 },
    });
    // The acquirer released it: a late capture is refused there too.
    expect(await acquirer.capture(payment.id, 1000)).toEqual({ kind: 'voided' });

    expect(await expiry().expire(payment.id)).toBe('skipped');
    expect(await typesOf(payment.id)).toEqual([
      'PaymentCreated',
      'PaymentAuthorized',
      'PaymentCanceled',
    ]);
  });

  it('leaves captured and canceled payments, and automatic ones, alone', async () => {
    const merchant = newMerchantId();
    const captured = await authorized(merchant);
    bodyOf(
      await service.capture.handle({ meta: requestMeta(merchant), payload: { id: captured.id } }),
    );
    const canceled = await authorized(merchant);
    bodyOf(
      await service.cancel.handle({ meta: requestMeta(merchant), payload: { id: canceled.id } }),
    );
    const automatic = bodyOf(
      await service.create.handle({ meta: requestMeta(merchant), payload: createPayload() }),
    );
    pastTheWindow();
    await expiry().sweep();
    expect(await statusesOf(merchant, [captured.id, canceled.id, automatic.id])).toEqual([
      'succeeded',
      'canceled',
      'succeeded',
    ]);
    expect(await typesOf(canceled.id)).toHaveLength(3);
  });

  it('cancels each overdue authorization once when several replicas sweep at once', async () => {
    const merchant = newMerchantId();
    const payments: Payment[] = [];
    for (let i = 0; i < 10; i++) payments.push(await authorized(merchant));
    pastTheWindow();
    await Promise.all([expiry(), expiry(), expiry()].map((replica) => replica.sweep()));
    for (const { id } of payments) {
      expect(await typesOf(id)).toEqual(['PaymentCreated', 'PaymentAuthorized', 'PaymentCanceled']);
    }
  });

  it('lets one of a capture and the expiry racing on an overdue authorization win', async () => {
    for (let round = 0; round < 5; round++) {
      const merchant = newMerchantId();
      const { id } = await authorized(merchant);
      pastTheWindow();
      const [capture] = await Promise.all([
        service.capture.handle({ meta: requestMeta(merchant), payload: { id } }),
        expiry().expire(id),
      ]);
      const types = await typesOf(id);
      expect(types).toHaveLength(3);
      const final = await get(merchant, id);
      if (capture.ok) {
        expect(final.status).toBe('succeeded');
        expect(types[2]).toBe('PaymentCaptured');
      } else {
        expect(capture).toMatchObject({ status: 400, error: { code: 'payment_unexpected_state' } });
        expect(final).toMatchObject({ status: 'canceled', cancellation_reason: 'automatic' });
      }
    }
  });

  it('records the capture the acquirer made when the request that asked for it died', async () => {
    const merchant = newMerchantId();
    const { id } = await authorized(merchant);
    // The capture reached the acquirer; its request never came back to record it.
    expect(await acquirer.capture(id, 600)).toEqual({ kind: 'captured', amount: 600 });
    pastTheWindow();
    expect(await expiry().expire(id)).toBe('captured');
    expect(await get(merchant, id)).toMatchObject({
      status: 'succeeded',
      amount_captured: { value: 600 },
    });
  });
});
