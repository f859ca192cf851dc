import type { EntityManager } from 'typeorm';
import type { DailyReport, SuccessReply } from '@finfusion/contracts';
import { newId } from '@finfusion/contracts';
import { newMerchantId } from '@finfusion/testing';
import {
  eventually,
  testDatabase,
  readableByFollowers,
  requestMeta,
} from '../../../testing/database.fixture';
import { createPayload, paymentsService, TestClock } from '../../../testing/payments.fixture';
import { keptCard } from '../../domain/payment.fixture';
import { decide } from '../../domain/payment.decider';
import { initialState } from '../../domain/payment';
import { DailySummaryProjection, rebuildDailySummary } from './daily-summary.projection';

const db = testDatabase();
let service: ReturnType<typeof paymentsService>;
const clock = new TestClock();

beforeAll(() => {
  service = paymentsService(db, { clock });
});

const projection = () => new DailySummaryProjection(db.dataSource, db.store, db.config);

/**
 * Catches up until nothing committed is left. One catchUp can stop short while some other
 * transaction of the cluster is open (the gap-safe read waits for it), so it is repeated.
 */
const settle = () =>
  eventually(async () => {
    const live = projection();
    await live.catchUp();
    return (await live.lag()) === 0 ? true : undefined;
  });

const pay = async (merchant: string, at: string, payload = createPayload()) => {
  clock.current = new Date(at);
  await service.create.handle({ meta: requestMeta(merchant), payload });
};

const report = async (merchant: string, from = '2026-03-01', to = '2026-03-31') => {
  const reply = await service.dailyReport.handle({
    meta: requestMeta(merchant),
    payload: { from, to },
  });
  return (reply as SuccessReply<DailyReport>).body.data.map((r) => [
    r.date,
    r.currency,
    r.status,
    r.count,
    r.volume,
  ]);
};

const summaryRows = () =>
  db.dataSource.query<Record<string, unknown>[]>(
    `SELECT * FROM "${db.schema}".daily_summaries ORDER BY merchant_id, day, currency, status`,
  );

/** A pending payment created inside the caller's transaction. */
async function appendPending(manager: EntityManager, merchantId: string, value: number) {
  const paymentId = newId('pay');
  const events = decide(
    {
      type: 'CreatePayment',
      data: {
        paymentId,
        paymentMethodId: newId('pm'),
        merchantId,
        amount: { value, currency: 'USD' },
        card: { ...keptCard },
        customerId: null,
        metadata: {},
        now: new Date('2026-03-20T08:00:00Z'),
      },
    },
    initialState,
  );
  await service.payments.append(manager, paymentId, service.payments.newStream, events, {
    merchantId,
  });
}

describe('the daily summary projection', () => {
  it('counts payments and volume per UTC day, currency and status', async () => {
    const merchant = newMerchantId();
    await pay(merchant, '2026-03-14T23:59:59.999Z');
    await pay(merchant, '2026-03-15T00:00:00.000Z');
    await pay(
      merchant,
      '2026-03-15T10:00:00Z',
      createPayload({ amount: { value: 2500, currency: 'USD' } }),
    );
    await pay(merchant, '2026-03-15T11:00:00Z', createPayload({ number: '4000000000009995' }));
    await pay(
      merchant,
      '2026-03-15T12:00:00Z',
      createPayload({ amount: { value: 300, currency: 'JPY' } }),
    );
    await pay(newMerchantId(), '2026-03-15T12:00:00Z');

    await settle();
    expect(await report(merchant)).toEqual([
      ['2026-03-14', 'USD', 'succeeded', 1, 1000],
      ['2026-03-15', 'JPY', 'succeeded', 1, 300],
      ['2026-03-15', 'USD', 'failed', 1, 1000],
      ['2026-03-15', 'USD', 'succeeded', 2, 3500],
    ]);
    expect(await report(merchant, '2026-03-15', '2026-03-15')).toHaveLength(3);
    const jpy = await service.dailyReport.handle({
      meta: requestMeta(merchant),
      payload: { from: '2026-03-01', to: '2026-03-31', currency: 'JPY' },
    });
    expect((jpy as SuccessReply<DailyReport>).body).toMatchObject({
      object: 'daily_report',
      from: '2026-03-01',
      to: '2026-03-31',
      data: [
        { object: 'daily_summary', date: '2026-03-15', currency: 'JPY', count: 1, volume: 300 },
      ],
    });
  });

  it('counts nothing twice: a second instance resumes from the stored checkpoint', async () => {
    const merchant = newMerchantId();
    await pay(merchant, '2026-03-16T09:00:00Z');
    await settle();
    const once = await report(merchant);
    await projection().catchUp();
    expect(await report(merchant)).toEqual(once);
    expect(await projection().lag()).toBe(0);
  });

  it('never skips a transaction that commits after a later one (gap-safe)', async () => {
    const merchant = newMerchantId();
    const slow = db.dataSource.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    try {
      await appendPending(slow.manager, merchant, 111);
      await db.dataSource.transaction((manager) => appendPending(manager, merchant, 222));

      // The fast payment committed first, behind the slow one's position: both must wait.
      await projection().catchUp();
      expect(await report(merchant)).toEqual([]);

      await slow.commitTransaction();
      await settle();
      expect(await report(merchant)).toEqual([['2026-03-20', 'USD', 'pending', 2, 333]]);
    } finally {
      if (slow.isTransactionActive) await slow.rollbackTransaction();
      await slow.release();
    }
  });

  it('rebuilds from the log exactly the rows the live projection wrote', async () => {
    await pay(
      newMerchantId(),
      '2026-03-17T09:00:00Z',
      createPayload({ number: '4000000000000119' }),
    );
    await settle();
    const live = await summaryRows();
    await db.dataSource.query(`UPDATE "${db.schema}".daily_summaries SET count = count + 7`);

    // Retried only because an unrelated open transaction of the cluster can hold the
    // gap-safe read back; a rebuild that saw the whole log must equal the live rows.
    await eventually(async () => {
      await rebuildDailySummary(db.dataSource, db.store, { batchSize: 3 });
      const rebuilt = await summaryRows();
      return JSON.stringify(rebuilt) === JSON.stringify(live) ? true : undefined;
    });
    expect(await summaryRows()).toEqual(live);
    // The checkpoint moved with it: the live projection finds nothing left to count.
    await settle();
    expect(await summaryRows()).toEqual(live);
  });

  it('rebuilds while payments are created, without holding the log’s followers back', async () => {
    const merchant = newMerchantId();
    const create = async () => {
      clock.current = new Date('2026-03-20T10:00:00Z');
      const reply = await service.create.handle({
        meta: requestMeta(merchant),
        payload: createPayload(),
      });
      if (!reply.ok) throw new Error(`create failed: ${JSON.stringify(reply)}`);
      return reply.body.id;
    };
    for (let i = 0; i < 10; i++) await Promise.all(Array.from({ length: 20 }, create));
    await settle();

    const rebuild = { done: false };
    const rebuilding = rebuildDailySummary(db.dataSource, db.store, { batchSize: 10 }).finally(
      () => {
        rebuild.done = true;
      },
    );
    const followedWithinOneSecond: boolean[] = [];
    while (!rebuild.done) {
      followedWithinOneSecond.push(await readableByFollowers(db, await create(), 1000));
    }
    await rebuilding;

    expect(followedWithinOneSecond.length).toBeGreaterThanOrEqual(2);
    expect(followedWithinOneSecond.every(Boolean)).toBe(true);
    // Whatever the rebuild counted, the live projection counts the rest once.
    await settle();
    const [cell] = await db.dataSource.query<{ count: number }[]>(
      `SELECT count FROM "${db.schema}".daily_summaries
        WHERE merchant_id = $1 AND status = 'succeeded'`,
      [merchant],
    );
    expect(cell?.count).toBe(200 + followedWithinOneSecond.length);
  });

  it('equals a count of the payments read model, cell for cell', async () => {
    await settle();
    const fromReadModel = await db.dataSource.query<Record<string, unknown>[]>(
      `SELECT merchant_id, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, currency,
              status, count(*)::int AS count, sum(amount_value)::text AS volume
         FROM "${db.schema}".payments GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    );
    const fromSummary = await db.dataSource.query<Record<string, unknown>[]>(
      `SELECT merchant_id, day::text AS day, currency, status, count, volume::text AS volume
         FROM "${db.schema}".daily_summaries ORDER BY 1, 2, 3, 4`,
    );
    expect(fromSummary).toEqual(fromReadModel);
  });
});
