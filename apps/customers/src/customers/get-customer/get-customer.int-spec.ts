import type { CreateCustomerHandler } from '../create-customer/create-customer.handler';
import {
  bodyOf,
  newMerchantId,
  openCustomersTestDb,
  requestOf,
  type CustomersTestDb,
} from '../../testing/customers-db.fixture';
import type { GetCustomerHandler } from './get-customer.handler';

let db: CustomersTestDb;
let get: GetCustomerHandler;
let create: CreateCustomerHandler;

beforeAll(async () => {
  db = await openCustomersTestDb();
  get = db.handlers.get;
  create = db.handlers.create;
});
afterAll(() => db.close());

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
      await create.handle(
        requestOf(merchantId, { email: 'g@example.com', name: 'G', metadata: { a: '1' } }),
      ),
    );
    expect(await get.handle(requestOf(merchantId, { id: created.id }))).toEqual({
      ok: true,
      status: 200,
      body: created,
    });
  });

  it('answers 404 resource_missing naming id for an unknown id', async () => {
    expect(await get.handle(requestOf(newMerchantId(), { id: 'cust_nope' }))).toEqual(missing());
  });

  it("answers 404 for another merchant's customer, revealing nothing", async () => {
    const created = bodyOf(
      await create.handle(requestOf(newMerchantId(), { email: 'mine@example.com' })),
    );
    expect(await get.handle(requestOf(newMerchantId(), { id: created.id }))).toEqual(missing());
  });

  it('answers 404 for a deleted customer', async () => {
    const merchantId = newMerchantId();
    const created = bodyOf(await create.handle(requestOf(merchantId, { email: 'd@example.com' })));
    bodyOf(await db.handlers.remove.handle(requestOf(merchantId, { id: created.id })));
    expect(await get.handle(requestOf(merchantId, { id: created.id }))).toEqual(missing());
  });
});
