import { bodyOf, newMerchantId, requestOf } from '@finfusion/testing';
import { customersTestDb } from '../../testing/customers-db.fixture';

const db = customersTestDb();

describe('customers.create', () => {
  it('creates a customer and answers 200 with the API shape', async () => {
    const reply = await db.handlers.create.handle(
      requestOf(newMerchantId(), {
        email: 'customer@example.com',
        name: 'John Doe',
        metadata: { company: 'Acme Inc' },
      }),
    );
    expect(reply).toEqual({
      ok: true,
      status: 200,
      body: {
        id: expect.stringMatching(/^cust_[0-9A-Za-z]{22}$/) as string,
        object: 'customer',
        email: 'customer@example.com',
        name: 'John Doe',
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as string,
        metadata: { company: 'Acme Inc' },
      },
    });
  });

  it('stores version 1 and appends CustomerCreated with the reply and the request ids', async () => {
    const merchantId = newMerchantId();
    const request = requestOf(merchantId, { email: 'a@example.com' }, { idempotencyKey: 'k-a' });
    const customer = bodyOf(await db.handlers.create.handle(request));

    expect(await db.row(customer.id)).toMatchObject({
      merchant_id: merchantId,
      name: null,
      metadata: {},
      idempotency_key: 'k-a',
      version: 1,
      deleted_at: null,
    });
    const events = await db.events(customer.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      streamVersion: 1,
      type: 'CustomerCreated',
      eventId: expect.stringMatching(/^evt_/) as string,
      data: customer,
      metadata: {
        merchantId,
        requestId: request.meta.requestId,
        correlationId: request.meta.correlationId,
        idempotencyKey: 'k-a',
      },
    });
  });

  it('creates a second customer for a second request without an idempotency key', async () => {
    const merchantId = newMerchantId();
    const first = bodyOf(
      await db.handlers.create.handle(requestOf(merchantId, { email: 'x@example.com' })),
    );
    const second = bodyOf(
      await db.handlers.create.handle(requestOf(merchantId, { email: 'x@example.com' })),
    );
    expect(second.id).not.toBe(first.id);
  });

  it('answers a repeated idempotency key with the customer it created, creating nothing', async () => {
    const merchantId = newMerchantId();
    const create = () =>
      db.handlers.create.handle(
        requestOf(merchantId, { email: 'once@example.com' }, { idempotencyKey: 'same-key' }),
      );
    const first = bodyOf(await create());
    expect(bodyOf(await create())).toEqual(first);
    const rows = await db.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${db.schema}".customers WHERE merchant_id = $1`,
      [merchantId],
    );
    expect(rows[0]?.n).toBe(1);
    expect(await db.events(first.id)).toHaveLength(1);
  });

  it('creates exactly one customer for concurrent duplicates of one idempotency key', async () => {
    const merchantId = newMerchantId();
    const replies = await Promise.all(
      Array.from({ length: 12 }, () =>
        db.handlers.create.handle(
          requestOf(merchantId, { email: 'race@example.com' }, { idempotencyKey: 'race-key' }),
        ),
      ),
    );
    const ids = new Set(replies.map((reply) => bodyOf(reply).id));
    expect(ids.size).toBe(1);
    const rows = await db.dataSource.query<{ id: string }[]>(
      `SELECT id FROM "${db.schema}".customers WHERE merchant_id = $1`,
      [merchantId],
    );
    expect(rows.map((row) => row.id)).toEqual([...ids]);
    const logged = await db.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${db.schema}".events WHERE metadata->>'merchantId' = $1`,
      [merchantId],
    );
    expect(logged[0]?.n).toBe(1);
  });

  it('scopes idempotency keys to the merchant', async () => {
    const request = (merchantId: string) =>
      requestOf(merchantId, { email: 'k@example.com' }, { idempotencyKey: 'shared-key' });
    const mine = bodyOf(await db.handlers.create.handle(request(newMerchantId())));
    const theirs = bodyOf(await db.handlers.create.handle(request(newMerchantId())));
    expect(theirs.id).not.toBe(mine.id);
  });
});
