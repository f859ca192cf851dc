import {
  openTestDatabase,
  requestMeta,
  type TestDatabase,
} from '../../../testing/database.fixture';
import { createPayload, newMerchant, paymentsService } from '../../../testing/payments.fixture';
import { PaymentReadModel } from './payment-read-model';

let db: TestDatabase;
let service: ReturnType<typeof paymentsService>;

beforeAll(async () => {
  db = await openTestDatabase();
  service = paymentsService(db);
});

afterAll(() => db.drop());

const allRows = () =>
  db.dataSource.query<Record<string, unknown>[]>(
    `SELECT * FROM "${db.schema}".payments ORDER BY id`,
  );

describe('rebuilding the payments read model', () => {
  it('rebuilds, from the log alone, exactly the rows the live model wrote', async () => {
    const merchant = newMerchant();
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

    const result = await db.dataSource.transaction((manager) =>
      new PaymentReadModel().rebuild(manager, db.store),
    );
    expect(result.payments).toBe(live.length);
    expect(await allRows()).toEqual(live);
  });

  it('lets writers carry on while it runs: they wait for its commit and lose nothing', async () => {
    const merchant = newMerchant();
    const runner = db.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    let rebuilt = false;
    try {
      await new PaymentReadModel().rebuild(runner.manager, db.store);
      const writing = service.create.handle({
        meta: requestMeta(merchant),
        payload: createPayload(),
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      await runner.commitTransaction();
      rebuilt = true;
      const reply = await writing;
      expect(reply).toMatchObject({ ok: true, body: { status: 'succeeded' } });
    } finally {
      if (!rebuilt) await runner.rollbackTransaction();
      await runner.release();
    }
    const [row] = await db.dataSource.query<{ status: string; version: number }[]>(
      `SELECT status, version FROM "${db.schema}".payments WHERE merchant_id = $1`,
      [merchant],
    );
    expect(row).toEqual({ status: 'succeeded', version: 2 });
  });
});
