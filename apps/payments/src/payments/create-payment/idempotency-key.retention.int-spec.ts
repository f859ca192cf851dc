import type { Payment, SuccessReply } from '@finfusion/contracts';
import { newMerchantId } from '@finfusion/testing';
import { requestMeta, testDatabase } from '../../testing/database.fixture';
import { createPayload, paymentsService, TestClock } from '../../testing/payments.fixture';
import { IdempotencyKeyRetention } from './idempotency-key.retention';

const DAY_MS = 24 * 60 * 60 * 1000;

const db = testDatabase({ PAYMENTS_IDEMPOTENCY_RETENTION_DAYS: '30' });
let clock: TestClock;
let service: ReturnType<typeof paymentsService>;

beforeAll(() => {
  clock = new TestClock();
  service = paymentsService(db, { clock });
});

const create = async (merchantId: string, key: string): Promise<string> => {
  const reply = await service.create.handle({
    meta: requestMeta(merchantId, key),
    payload: createPayload(),
  });
  return (reply as SuccessReply<Payment>).body.id;
};

describe('Idempotency-Key retention', () => {
  it('forgets keys past retention and keeps the others, so an old key may create again', async () => {
    const merchant = newMerchantId();
    const first = await create(merchant, 'order-1');
    const retention = new IdempotencyKeyRetention(db.dataSource, clock, db.config);

    clock.current = new Date(Date.now() + 29 * DAY_MS);
    expect(await retention.sweep()).toBe(0);
    expect(await create(merchant, 'order-1')).toBe(first);

    clock.current = new Date(Date.now() + 31 * DAY_MS);
    expect(await retention.sweep()).toBe(1);
    const keys = await db.dataSource.query<unknown[]>(
      `SELECT 1 FROM "${db.schema}".idempotency_keys WHERE merchant_id = $1`,
      [merchant],
    );
    expect(keys).toHaveLength(0);
    expect(await create(merchant, 'order-1')).not.toBe(first);
  });
});
