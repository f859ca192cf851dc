import { ERASED_EMAIL } from '@finfusion/contracts';
import { bodyOf, newMerchantId, requestOf } from '@finfusion/testing';
import { customersTestDb } from '../../testing/customers-db.fixture';

const db = customersTestDb();

const notFound = {
  ok: false,
  status: 404,
  error: { type: 'invalid_request_error', code: 'resource_missing', param: 'id' },
};

describe('customers.delete', () => {
  it('answers 200 with the deleted marker and keeps the row, marked deleted', async () => {
    const merchantId = newMerchantId();
    const customer = bodyOf(
      await db.handlers.create.handle(requestOf(merchantId, { email: 'bye@example.com' })),
    );
    expect(await db.handlers.remove.handle(requestOf(merchantId, { id: customer.id }))).toEqual({
      ok: true,
      status: 200,
      body: { id: customer.id, object: 'customer', deleted: true },
    });
    const row = await db.row(customer.id);
    expect(row?.deleted_at).toBeInstanceOf(Date);
    expect(row?.version).toBe(2);
  });

  it('appends CustomerDeleted carrying the customer with its personal data erased', async () => {
    const merchantId = newMerchantId();
    const customer = bodyOf(
      await db.handlers.create.handle(
        requestOf(merchantId, { email: 'log@example.com', name: 'L' }),
      ),
    );
    bodyOf(await db.handlers.remove.handle(requestOf(merchantId, { id: customer.id })));
    const events = await db.events(customer.id);
    expect(events.map((e) => [e.streamVersion, e.type])).toEqual([
      [1, 'CustomerCreated'],
      [2, 'CustomerDeleted'],
    ]);
    const erased = { ...customer, email: ERASED_EMAIL, name: null, metadata: {} };
    expect(events.map((e) => e.data)).toEqual([erased, erased]);
  });

  it('answers 404 to a second delete, recording nothing more', async () => {
    const merchantId = newMerchantId();
    const customer = bodyOf(
      await db.handlers.create.handle(requestOf(merchantId, { email: 'x@example.com' })),
    );
    bodyOf(await db.handlers.remove.handle(requestOf(merchantId, { id: customer.id })));
    expect(
      await db.handlers.remove.handle(requestOf(merchantId, { id: customer.id })),
    ).toMatchObject(notFound);
    expect(await db.events(customer.id)).toHaveLength(2);
  });

  it("answers 404 for another merchant's customer and leaves it alone", async () => {
    const customer = bodyOf(
      await db.handlers.create.handle(requestOf(newMerchantId(), { email: 'y@example.com' })),
    );
    expect(
      await db.handlers.remove.handle(requestOf(newMerchantId(), { id: customer.id })),
    ).toMatchObject(notFound);
    expect((await db.row(customer.id))?.deleted_at).toBeNull();
  });
});
