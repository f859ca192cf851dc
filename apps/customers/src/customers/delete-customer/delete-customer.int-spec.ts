import type { CreateCustomerHandler } from '../create-customer/create-customer.handler';
import {
  bodyOf,
  newMerchantId,
  openCustomersTestDb,
  requestOf,
  type CustomersTestDb,
} from '../../testing/customers-db.fixture';
import type { DeleteCustomerHandler } from './delete-customer.handler';

let db: CustomersTestDb;
let remove: DeleteCustomerHandler;
let create: CreateCustomerHandler;

beforeAll(async () => {
  db = await openCustomersTestDb();
  remove = db.handlers.remove;
  create = db.handlers.create;
});
afterAll(() => db.close());

const notFound = {
  ok: false,
  status: 404,
  error: { type: 'invalid_request_error', code: 'resource_missing', param: 'id' },
};

describe('customers.delete', () => {
  it('answers 200 with the deleted marker and keeps the row, marked deleted', async () => {
    const merchantId = newMerchantId();
    const customer = bodyOf(
      await create.handle(requestOf(merchantId, { email: 'bye@example.com' })),
    );
    expect(await remove.handle(requestOf(merchantId, { id: customer.id }))).toEqual({
      ok: true,
      status: 200,
      body: { id: customer.id, object: 'customer', deleted: true },
    });
    const row = await db.row(customer.id);
    expect(row?.deleted_at).toBeInstanceOf(Date);
    expect(row?.version).toBe(2);
  });

  it('appends CustomerDeleted carrying the customer as it was', async () => {
    const merchantId = newMerchantId();
    const customer = bodyOf(
      await create.handle(requestOf(merchantId, { email: 'log@example.com', name: 'L' })),
    );
    bodyOf(await remove.handle(requestOf(merchantId, { id: customer.id })));
    const events = await db.events(customer.id);
    expect(events.map((e) => [e.streamVersion, e.type])).toEqual([
      [1, 'CustomerCreated'],
      [2, 'CustomerDeleted'],
    ]);
    expect(events[1]?.data).toEqual(customer);
  });

  it('answers 404 to a second delete, recording nothing more', async () => {
    const merchantId = newMerchantId();
    const customer = bodyOf(await create.handle(requestOf(merchantId, { email: 'x@example.com' })));
    bodyOf(await remove.handle(requestOf(merchantId, { id: customer.id })));
    expect(await remove.handle(requestOf(merchantId, { id: customer.id }))).toMatchObject(notFound);
    expect(await db.events(customer.id)).toHaveLength(2);
  });

  it("answers 404 for another merchant's customer and leaves it alone", async () => {
    const customer = bodyOf(
      await create.handle(requestOf(newMerchantId(), { email: 'y@example.com' })),
    );
    expect(await remove.handle(requestOf(newMerchantId(), { id: customer.id }))).toMatchObject(
      notFound,
    );
    expect((await db.row(customer.id))?.deleted_at).toBeNull();
  });
});
