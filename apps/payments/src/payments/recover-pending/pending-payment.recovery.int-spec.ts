import type { ErrorReply, Payment, SuccessReply } from '@finfusion/contracts';
import { newMerchantId } from '@finfusion/testing';
import { requestMeta, testDatabase } from '../../testing/database.fixture';
import { createPayload, paymentsService, TestClock } from '../../testing/payments.fixture';
import {
  AcquirerUnavailable,
  type Acquirer,
  type AuthorizationRequest,
} from '../acquirer/acquirer';
import { postgresLedgers } from '../acquirer/test-acquirer.ledger';
import { ANSWER_LOST_CARD, NEVER_RECEIVED, TestAcquirer } from '../acquirer/test-acquirer';
import type { AuthorizationResult } from '../domain/payment.decider';
import { PendingPaymentRecovery } from './pending-payment.recovery';

const AFTER_MS = 30_000;

const db = testDatabase({ PAYMENTS_PENDING_RECOVERY_AFTER_MS: String(AFTER_MS) });
let clock: TestClock;
let service: ReturnType<typeof paymentsService>;
let acquirer: TestAcquirer;

beforeAll(() => {
  clock = new TestClock();
  acquirer = new TestAcquirer(postgresLedgers(db.dataSource));
  service = paymentsService(db, { clock, acquirer });
});

/** A replica's recovery, on the same database and acquirer records. */
const recovery = (over: Acquirer = acquirer) =>
  new PendingPaymentRecovery(db.dataSource, service.payments, over, clock, db.config);

/** Never reaches the acquirer: as if the connection failed before the request went out. */
class Unreachable extends TestAcquirer {
  constructor() {
    super(postgresLedgers(db.dataSource));
  }
  override authorize(): Promise<AuthorizationResult> {
    return Promise.reject(new AcquirerUnavailable('connection refused'));
  }
}

const create = (merchantId: string, payload: unknown, key?: string) =>
  service.create.handle({ meta: requestMeta(merchantId, key), payload });

const typesOf = async (paymentId: string) =>
  (await db.store.readStream(db.dataSource.manager, paymentId)).map((e) => e.type);

/** The pending payment a failed request of the merchant left behind. */
const leftPending = async (merchantId: string): Promise<string> => {
  const rows = await db.dataSource.query<{ id: string; status: string }[]>(
    `SELECT id, status FROM "${db.schema}".payments WHERE merchant_id = $1`,
    [merchantId],
  );
  expect(rows).toEqual([{ id: expect.any(String) as string, status: 'pending' }]);
  return rows[0]!.id;
};

const rowOf = async (paymentId: string) =>
  (
    await db.dataSource.query<{ status: string; failure_code: string | null }[]>(
      `SELECT status, failure_code FROM "${db.schema}".payments WHERE id = $1`,
      [paymentId],
    )
  )[0];

/** Makes every payment so far older than PAYMENTS_PENDING_RECOVERY_AFTER_MS. */
const later = () => {
  clock.current = new Date(clock.current.getTime() + AFTER_MS + 1000);
};

describe('the recovery of pending payments', () => {
  it('settles a payment whose acquirer answer was lost with the acquirer’s recorded outcome', async () => {
    const merchant = newMerchantId();
    const key = `key-${merchant}`;
    const payload = createPayload({ number: ANSWER_LOST_CARD });
    await expect(create(merchant, payload, key)).rejects.toThrow(AcquirerUnavailable);
    const id = await leftPending(merchant);

    // Too young: left alone.
    expect(await recovery().sweep()).toBe(0);
    expect(await typesOf(id)).toEqual(['PaymentCreated']);

    later();
    expect(await recovery().sweep()).toBe(1);
    expect(await typesOf(id)).toEqual(['PaymentCreated', 'PaymentSucceeded']);
    expect(await rowOf(id)).toEqual({ status: 'succeeded', failure_code: null });
    // The approval the acquirer recorded when the answer was lost: the same reference, one charge.
    const recorded = await acquirer.settle(id);
    expect(recorded.approved).toBe(true);
    const [, succeeded] = await db.store.readStream(db.dataSource.manager, id);
    expect(succeeded?.data.authorizationReference).toBe(recorded.approved && recorded.reference);

    // The client's retry answers with the settled payment and records nothing more.
    const retry = (await create(merchant, payload, key)) as SuccessReply<Payment>;
    expect(retry).toMatchObject({ ok: true, status: 200, body: { id, status: 'succeeded' } });
    expect(await typesOf(id)).toEqual(['PaymentCreated', 'PaymentSucceeded']);
  });

  it('closes a payment the acquirer never received as failed, and a late retry is not charged', async () => {
    const merchant = newMerchantId();
    const key = `key-${merchant}`;
    const payload = createPayload();
    const unreachable = paymentsService(db, { clock, acquirer: new Unreachable() });
    await expect(
      unreachable.create.handle({ meta: requestMeta(merchant, key), payload }),
    ).rejects.toThrow(AcquirerUnavailable);
    const id = await leftPending(merchant);

    later();
    expect(await recovery().sweep()).toBe(1);
    expect(await typesOf(id)).toEqual(['PaymentCreated', 'PaymentFailed']);
    expect(await rowOf(id)).toEqual({ status: 'failed', failure_code: 'processing_error' });

    const retry = (await create(merchant, payload, key)) as ErrorReply;
    expect(retry).toMatchObject({
      status: 402,
      error: { code: 'processing_error', message: NEVER_RECEIVED.message, payment: { id } },
    });
    // The acquirer refuses the reference from now on: nothing can charge the card for it.
    expect(await acquirer.authorize(authorization(id))).toEqual({
      approved: false,
      failure: NEVER_RECEIVED,
    });
  });

  it('records one outcome when a client retry races the recovery', async () => {
    for (let round = 0; round < 8; round++) {
      const merchant = newMerchantId();
      const key = `key-${merchant}`;
      const payload = createPayload({ number: ANSWER_LOST_CARD });
      await expect(create(merchant, payload, key)).rejects.toThrow(AcquirerUnavailable);
      const id = await leftPending(merchant);
      later();
      const [retry] = await Promise.all([create(merchant, payload, key), recovery().recover(id)]);
      expect(retry).toMatchObject({ ok: true, body: { id, status: 'succeeded' } });
      expect(await typesOf(id)).toEqual(['PaymentCreated', 'PaymentSucceeded']);
    }
  });

  it('settles each payment once when several replicas sweep at once', async () => {
    const merchant = newMerchantId();
    const unreachable = paymentsService(db, { clock, acquirer: new Unreachable() });
    for (let i = 0; i < 12; i++) {
      const reply = unreachable.create.handle({
        meta: requestMeta(merchant),
        payload: createPayload(),
      });
      await expect(reply).rejects.toThrow(AcquirerUnavailable);
    }
    const ids = (
      await db.dataSource.query<{ id: string }[]>(
        `SELECT id FROM "${db.schema}".payments WHERE merchant_id = $1`,
        [merchant],
      )
    ).map((row) => row.id);
    expect(ids).toHaveLength(12);
    later();
    const settled = await Promise.all([recovery(), recovery(), recovery()].map((r) => r.sweep()));
    expect(settled.reduce((a, b) => a + b, 0)).toBe(12);
    for (const id of ids) {
      expect(await typesOf(id)).toEqual(['PaymentCreated', 'PaymentFailed']);
    }
  });
});

const authorization = (paymentId: string): AuthorizationRequest => ({
  paymentId,
  merchantId: 'mer_any',
  amount: { value: 1000, currency: 'USD' },
  card: { number: '4242424242424242', cvc: '123', expMonth: 12, expYear: 2030 },
});
