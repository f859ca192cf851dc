import type { CreateCustomerHandler } from '../create-customer/create-customer.handler';
import {
  bodyOf,
  newMerchantId,
  openCustomersTestDb,
  requestOf,
  type CustomersTestDb,
} from '../../testing/customers-db.fixture';
import type { LookupCustomerHandler } from './lookup-customer.handler';

let db: CustomersTestDb;
let lookup: LookupCustomerHandler;
let create: CreateCustomerHandler;

beforeAll(async () => {
  db = await openCustomersTestDb();
  lookup = db.handlers.lookup;
  create = db.handlers.create;
});
afterAll(() => db.close());

describe('customers.lookup', () => {
  it('tells whose customer an id is, to a caller of any merchant, with its stream version', async () => {
    const merchantId = newMerchantId();
    const customer = bodyOf(await create.handle(requestOf(merchantId, { email: 'l@example.com' })));
    expect(await lookup.handle(requestOf(newMerchantId(), { id: customer.id }))).toEqual({
      ok: true,
      status: 200,
      body: { id: customer.id, merchant_id: merchantId, deleted: false, sequence: 1 },
    });
  });

  it('tells that a customer is deleted, as of the deletion’s version', async () => {
    const merchantId = newMerchantId();
    const customer = bodyOf(await create.handle(requestOf(merchantId, { email: 'd@example.com' })));
    bodyOf(await db.handlers.update.handle(requestOf(merchantId, { id: customer.id, name: 'D' })));
    bodyOf(await db.handlers.remove.handle(requestOf(merchantId, { id: customer.id })));
    expect(await lookup.handle(requestOf(merchantId, { id: customer.id }))).toMatchObject({
      ok: true,
      body: { merchant_id: merchantId, deleted: true, sequence: 3 },
    });
  });

  it('answers 404 for an id it has never had', async () => {
    expect(
      await lookup.handle(requestOf(newMerchantId(), { id: 'cust_neverCreated00000000' })),
    ).toMatchObject({ ok: false, status: 404, error: { code: 'resource_missing' } });
  });
});
