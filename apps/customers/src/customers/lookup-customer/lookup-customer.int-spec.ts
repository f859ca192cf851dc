import { bodyOf, newMerchantId, requestOf } from '@finfusion/testing';
import { customersTestDb } from '../../testing/customers-db.fixture';

const db = customersTestDb();

describe('customers.lookup', () => {
  it('tells whose customer an id is, to a caller of any merchant, with its stream version', async () => {
    const merchantId = newMerchantId();
    const customer = bodyOf(
      await db.handlers.create.handle(requestOf(merchantId, { email: 'l@example.com' })),
    );
    expect(
      await db.handlers.lookup.handle(requestOf(newMerchantId(), { id: customer.id })),
    ).toEqual({
      ok: true,
      status: 200,
      body: { id: customer.id, merchant_id: merchantId, deleted: false, sequence: 1 },
    });
  });

  it('tells that a customer is deleted, as of the deletion’s version', async () => {
    const merchantId = newMerchantId();
    const customer = bodyOf(
      await db.handlers.create.handle(requestOf(merchantId, { email: 'd@example.com' })),
    );
    bodyOf(await db.handlers.update.handle(requestOf(merchantId, { id: customer.id, name: 'D' })));
    bodyOf(await db.handlers.remove.handle(requestOf(merchantId, { id: customer.id })));
    expect(
      await db.handlers.lookup.handle(requestOf(merchantId, { id: customer.id })),
    ).toMatchObject({
      ok: true,
      body: { merchant_id: merchantId, deleted: true, sequence: 3 },
    });
  });

  it('answers 404 for an id it has never had', async () => {
    expect(
      await db.handlers.lookup.handle(
        requestOf(newMerchantId(), { id: 'cust_neverCreated00000000' }),
      ),
    ).toMatchObject({ ok: false, status: 404, error: { code: 'resource_missing' } });
  });
});
