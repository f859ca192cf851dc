import { bodyOf, newMerchantId, requestOf } from '@finfusion/testing';
import { customersTestDb } from '../../testing/customers-db.fixture';

const db = customersTestDb();

const missing = () => ({
  ok: false,
  status: 404,
  error: {
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: 'No such customer.',
    param: 'id',
  },
});

describe('customers.get', () => {
  it('returns the customer exactly as create returned it', async () => {
    const merchantId = newMerchantId();
    const created = bodyOf(
      await db.handlers.create.handle(
        requestOf(merchantId, { email: 'g@example.com', name: 'G', metadata: { a: '1' } }),
      ),
    );
    expect(await db.handlers.get.handle(requestOf(merchantId, { id: created.id }))).toEqual({
      ok: true,
      status: 200,
      body: created,
    });
  });

  it('answers 404 resource_missing naming id for an unknown id', async () => {
    expect(await db.handlers.get.handle(requestOf(newMerchantId(), { id: 'cust_nope' }))).toEqual(
      missing(),
    );
  });

  it("answers 404 for another merchant's customer, revealing nothing", async () => {
    const created = bodyOf(
      await db.handlers.create.handle(requestOf(newMerchantId(), { email: 'mine@example.com' })),
    );
    expect(await db.handlers.get.handle(requestOf(newMerchantId(), { id: created.id }))).toEqual(
      missing(),
    );
  });

  it('answers 404 for a deleted customer', async () => {
    const merchantId = newMerchantId();
    const created = bodyOf(
      await db.handlers.create.handle(requestOf(merchantId, { email: 'd@example.com' })),
    );
    bodyOf(await db.handlers.remove.handle(requestOf(merchantId, { id: created.id })));
    expect(await db.handlers.get.handle(requestOf(merchantId, { id: created.id }))).toEqual(
      missing(),
    );
  });
});
