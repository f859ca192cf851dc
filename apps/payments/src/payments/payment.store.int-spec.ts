import { randomUUID } from 'node:crypto';
import { ConcurrencyError, tableOf } from '@finfusion/event-store';
import { newId } from '@finfusion/contracts';
import { testDatabase } from '../testing/database.fixture';
import { decide, type AuthorizationResult } from './domain/payment.decider';
import { keptCard } from './domain/payment.fixture';
import { PaymentStore } from './payment.store';
import { initialState } from './domain/payment';
import { PaymentReadModel } from './projections/payment-read-model/payment-read-model';
import { PaymentRow } from './projections/payment-read-model/payment-row.entity';
import { IdempotencyKeys } from './create-payment/idempotency-keys';

const db = testDatabase();
let store: PaymentStore;

beforeAll(() => {
  store = new PaymentStore(db.dataSource, db.store, new PaymentReadModel());
});

const metadata = { merchantId: 'mer_store' };

function createEvents(paymentId: string) {
  return decide(
    {
      type: 'CreatePayment',
      data: {
        paymentId,
        paymentMethodId: newId('pm'),
        merchantId: metadata.merchantId,
        amount: { value: 500, currency: 'EUR' },
        card: { ...keptCard },
        customerId: null,
        metadata: {},
        now: new Date(),
      },
    },
    initialState,
  );
}

async function createPending(): Promise<string> {
  const paymentId = newId('pay');
  const events = createEvents(paymentId);
  await store.transaction((manager) =>
    store.append(manager, paymentId, store.newStream, events, metadata),
  );
  return paymentId;
}

const row = (id: string) => db.dataSource.manager.findOneBy(PaymentRow, { id });

describe('PaymentStore on real Postgres', () => {
  it('lets exactly one of many concurrent writers at version 1 win; the row shows the winner', async () => {
    const paymentId = await createPending();
    const loaded = await store.load(store.manager, paymentId);
    const outcomes: AuthorizationResult[] = Array.from({ length: 10 }, (_, i) =>
      i % 2 === 0
        ? { approved: true, reference: `auth_${i}` }
        : { approved: false, failure: { code: 'processing_error', message: `writer ${i}` } },
    );
    const attempts = await Promise.allSettled(
      outcomes.map((result) =>
        store.transaction((manager) =>
          store.append(
            manager,
            paymentId,
            loaded,
            decide(
              { type: 'RecordAuthorization', data: { paymentId, result, now: new Date() } },
              loaded.state,
            ),
            metadata,
          ),
        ),
      ),
    );
    const won = attempts.filter((a) => a.status === 'fulfilled');
    const lost = attempts.filter((a) => a.status === 'rejected');
    expect(won).toHaveLength(1);
    for (const loss of lost) expect(loss.reason).toBeInstanceOf(ConcurrencyError);

    const stream = await db.store.readStream(db.dataSource.manager, paymentId);
    expect(stream.map((e) => e.streamVersion)).toEqual([1, 2]);
    const winner = await store.load(store.manager, paymentId);
    expect(await row(paymentId)).toMatchObject({ version: 2, status: winner.state.status });
  });

  it('commits the read-model row with the append, and neither when the transaction rolls back', async () => {
    const paymentId = await createPending();
    const loaded = await store.load(store.manager, paymentId);
    const succeed = decide(
      {
        type: 'RecordAuthorization',
        data: { paymentId, result: { approved: true, reference: 'auth' }, now: new Date() },
      },
      loaded.state,
    );

    const runner = db.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await store.append(runner.manager, paymentId, loaded, succeed, metadata);
      // Inside: both written. Outside, before commit: neither visible.
      expect(await runner.manager.findOneBy(PaymentRow, { id: paymentId })).toMatchObject({
        status: 'succeeded',
        version: 2,
      });
      expect(await row(paymentId)).toMatchObject({ status: 'pending', version: 1 });
      expect(await db.store.readStream(db.dataSource.manager, paymentId)).toHaveLength(1);
      await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }
    expect(await row(paymentId)).toMatchObject({ status: 'pending', version: 1 });
    expect(await db.store.readStream(db.dataSource.manager, paymentId)).toHaveLength(1);

    await store.transaction((manager) =>
      store.append(manager, paymentId, loaded, succeed, metadata),
    );
    expect(await row(paymentId)).toMatchObject({ status: 'succeeded', version: 2 });
    expect(await db.store.readStream(db.dataSource.manager, paymentId)).toHaveLength(2);
  });

  it('keeps a newer row when an older version is projected late', async () => {
    const paymentId = await createPending();
    const pending = await store.load(store.manager, paymentId);
    await store.transaction((manager) =>
      store.append(
        manager,
        paymentId,
        pending,
        decide(
          {
            type: 'RecordAuthorization',
            data: { paymentId, result: { approved: true, reference: 'a' }, now: new Date() },
          },
          pending.state,
        ),
        metadata,
      ),
    );
    if (pending.state.status === 'none') throw new Error('no payment');
    await new PaymentReadModel().project(db.dataSource.manager, pending.state, 1, new Map());
    expect(await row(paymentId)).toMatchObject({ status: 'succeeded', version: 2 });
  });

  it('writes the events, the row and the alongside rows in one statement, without a transaction', async () => {
    const paymentId = newId('pay');
    const key = `key_${randomUUID()}`;
    const claim = new IdempotencyKeys(db.dataSource).claimWrite(
      store.manager,
      metadata.merchantId,
      key,
      paymentId,
    );
    await store.append(
      store.manager,
      paymentId,
      store.newStream,
      createEvents(paymentId),
      metadata,
      [claim],
    );
    expect(await db.store.readStream(db.dataSource.manager, paymentId)).toHaveLength(1);
    expect(await row(paymentId)).toMatchObject({ status: 'pending', version: 1 });
    expect(await new IdempotencyKeys(db.dataSource).paymentFor(metadata.merchantId, key)).toBe(
      paymentId,
    );
  });

  it('writes nothing at all when an alongside row is refused', async () => {
    const first = newId('pay');
    const second = newId('pay');
    const key = `key_${randomUUID()}`;
    const keys = new IdempotencyKeys(db.dataSource);
    await store.append(store.manager, first, store.newStream, createEvents(first), metadata, [
      keys.claimWrite(store.manager, metadata.merchantId, key, first),
    ]);

    const refused = store.append(
      store.manager,
      second,
      store.newStream,
      createEvents(second),
      metadata,
      [keys.claimWrite(store.manager, metadata.merchantId, key, second)],
    );
    const error: unknown = await refused.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(IdempotencyKeys.isTaken(error)).toBe(true);
    expect(await db.store.readStream(db.dataSource.manager, second)).toEqual([]);
    expect(await row(second)).toBeNull();
    expect(await keys.paymentFor(metadata.merchantId, key)).toBe(first);
  });

  it('writes no row when the stream has moved on', async () => {
    const paymentId = await createPending();
    const loaded = await store.load(store.manager, paymentId);
    const claimedFor = newId('pay');
    const claim = new IdempotencyKeys(db.dataSource).claimWrite(
      store.manager,
      metadata.merchantId,
      `key_${randomUUID()}`,
      claimedFor,
    );
    const stale = { ...loaded, version: 0 };
    await expect(
      store.append(store.manager, paymentId, stale, createEvents(paymentId), metadata, [claim]),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await row(paymentId)).toMatchObject({ version: 1 });
    const claims = await db.dataSource.query<unknown[]>(
      `SELECT 1 FROM ${tableOf(db.dataSource, 'idempotency_keys')} WHERE payment_id = $1`,
      [claimedFor],
    );
    expect(claims).toEqual([]);
  });
});
