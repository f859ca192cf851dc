import { newMerchantId } from '@finfusion/testing';
import { testDatabase, readableByFollowers, requestMeta } from '../../../testing/database.fixture';
import { createPayload, paymentsService } from '../../../testing/payments.fixture';
import { fold, isPayment } from '../../domain/payment';
import { toPaymentEvent } from '../../domain/payment.events';
import { toRow } from './payment-read-model';
import { rebuildPaymentsTable } from './payment-read-model.rebuild';

const db = testDatabase();
let service: ReturnType<typeof paymentsService>;

beforeAll(() => {
  service = paymentsService(db);
});

const allRows = () =>
  db.dataSource.query<Record<string, unknown>[]>(
    `SELECT * FROM "${db.schema}".payments ORDER BY id COLLATE "C"`,
  );

describe('rebuilding the payments read model', () => {
  it('rebuilds, from the log alone, exactly the rows the live model wrote', async () => {
    const merchant = newMerchantId();
    const expired = createPayload();
    expired.payment_method.card.exp_year = 2024;
    for (const payload of [
      createPayload(),
      createPayload({ number: '4000000000009987', metadata: { a: 'b', c: 'd' } }),
      createPayload({
        number: '378282246310005',
        cvc: '1234',
        amount: { value: 5, currency: 'JPY' },
      }),
      createPayload({ number: '4000000000000119' }),
      expired,
    ]) {
      await service.create.handle({ meta: requestMeta(merchant), payload });
    }
    const live = await allRows();
    expect(live.length).toBeGreaterThanOrEqual(5);

    // Damage the read model: the log is the truth, the table only a view of it.
    await db.dataSource.query(`UPDATE "${db.schema}".payments SET status = 'pending', version = 1`);
    await db.dataSource.query(
      `DELETE FROM "${db.schema}".payments WHERE id = (SELECT min(id) FROM "${db.schema}".payments)`,
    );

    const result = await rebuildPaymentsTable(db.dataSource, db.store);
    expect(result.payments).toBe(live.length);
    expect(await allRows()).toEqual(live);
  });

  it('lets creates and the log’s followers carry on while it runs, and misses none of their payments', async () => {
    const merchant = newMerchantId();
    const create = async () => {
      const reply = await service.create.handle({
        meta: requestMeta(merchant),
        payload: createPayload(),
      });
      if (!reply.ok) throw new Error(`create failed: ${JSON.stringify(reply)}`);
      return reply.body.id;
    };
    // Enough history for many short batches.
    for (let i = 0; i < 30; i++) await Promise.all(Array.from({ length: 20 }, create));
    const indexesBefore = await indexesOfPayments();

    const rebuild = { done: false };
    const rebuilding = rebuildPaymentsTable(db.dataSource, db.store, { batchSize: 20 }).finally(
      () => {
        rebuild.done = true;
      },
    );
    const during: { id: string; ms: number; followed: boolean }[] = [];
    while (!rebuild.done) {
      const started = Date.now();
      const id = await create();
      const ms = Date.now() - started;
      // Readers that follow the log (relay, projections) read below the oldest running
      // transaction: a rebuild holding one open would keep them from this payment's events.
      const followed = await readableByFollowers(db, id, 1000);
      during.push({ id, ms, followed });
    }
    await rebuilding;

    expect(during.length).toBeGreaterThanOrEqual(3);
    for (const write of during) {
      expect(write.followed).toBe(true);
      expect(write.ms).toBeLessThan(2000);
    }
    // The rebuilt table is the log's projection, payments created during the rebuild included.
    expect(await allRows()).toEqual(await projectionOfLog());
    const rows = await allRows();
    for (const { id } of during) expect(rows.some((row) => row.id === id)).toBe(true);
    expect(await indexesOfPayments()).toEqual(indexesBefore);
    // And it is the live table: writes and reads go on in it.
    const after = await create();
    expect(
      await service.get.handle({ meta: requestMeta(merchant), payload: { id: after } }),
    ).toMatchObject({
      ok: true,
      body: { id: after, status: 'succeeded' },
    });
  });

  it('refuses to run twice at once', async () => {
    const [first, second] = await Promise.allSettled([
      rebuildPaymentsTable(db.dataSource, db.store, { batchSize: 5 }),
      rebuildPaymentsTable(db.dataSource, db.store, { batchSize: 5 }),
    ]);
    expect([first.status, second.status].sort()).toEqual(['fulfilled', 'rejected']);
    expect(await allRows()).toEqual(await projectionOfLog());
  });
});

const indexesOfPayments = () =>
  db.dataSource.query<{ indexname: string; indexdef: string }[]>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'payments'
      ORDER BY indexname`,
    [db.schema],
  );

/** Every payment's row as its whole stream folds to, ordered as allRows orders them. */
const projectionOfLog = async (): Promise<object[]> => {
  const ids = await db.dataSource.query<{ stream_id: string }[]>(
    `SELECT DISTINCT stream_id FROM "${db.schema}".events`,
  );
  const streams = await db.store.readStreams(
    db.dataSource.manager,
    ids.map((row) => row.stream_id),
  );
  const rows: object[] = [];
  for (const history of streams.values()) {
    const state = fold(history.map((e) => toPaymentEvent(e.type, e.schemaVersion, e.data)));
    // toEqual compares fields, not prototypes: a PaymentRow equals the plain row Postgres returns.
    if (isPayment(state)) rows.push(toRow(state, history.at(-1)?.streamVersion ?? 0));
  }
  return rows.sort((a, b) => (idOf(a) < idOf(b) ? -1 : 1));
};

const idOf = (row: object): string => (row as { id: string }).id;
