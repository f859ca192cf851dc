import { bodyOf, newMerchantId, requestOf } from '@finfusion/testing';
import { customersTestDb } from '../../testing/customers-db.fixture';

const db = customersTestDb();

const newCustomer = async (merchantId: string) =>
  bodyOf(
    await db.handlers.create.handle(
      requestOf(merchantId, {
        email: 'before@example.com',
        name: 'Before',
        metadata: { keep: 'k', drop: 'd', change: 'old' },
      }),
    ),
  );

describe('customers.update', () => {
  it('changes email, name and metadata keys, keeping the rest', async () => {
    const merchantId = newMerchantId();
    const customer = await newCustomer(merchantId);
    const reply = await db.handlers.update.handle(
      requestOf(merchantId, {
        id: customer.id,
        email: 'after@example.com',
        name: 'After',
        metadata: { drop: '', change: 'new', added: 'a' },
      }),
    );
    expect(reply).toEqual({
      ok: true,
      status: 200,
      body: {
        ...customer,
        email: 'after@example.com',
        name: 'After',
        metadata: { keep: 'k', change: 'new', added: 'a' },
      },
    });
  });

  it('bumps the version and appends CustomerUpdated carrying the reply', async () => {
    const merchantId = newMerchantId();
    const customer = await newCustomer(merchantId);
    const request = requestOf(merchantId, { id: customer.id, name: null });
    const updated = bodyOf(await db.handlers.update.handle(request));

    expect(updated.name).toBeNull();
    expect((await db.row(customer.id))?.version).toBe(2);
    const events = await db.events(customer.id);
    expect(events.map((e) => [e.streamVersion, e.type])).toEqual([
      [1, 'CustomerCreated'],
      [2, 'CustomerUpdated'],
    ]);
    expect(events[1]?.data).toEqual(updated);
    expect(events[1]?.metadata).toMatchObject({ merchantId, requestId: request.meta.requestId });
  });

  it('records nothing for an update that changes nothing', async () => {
    const merchantId = newMerchantId();
    const customer = await newCustomer(merchantId);
    const reply = await db.handlers.update.handle(
      requestOf(merchantId, { id: customer.id, name: 'Before', metadata: { keep: 'k' } }),
    );
    expect(bodyOf(reply)).toEqual(customer);
    expect(await db.events(customer.id)).toHaveLength(1);
  });

  it('applies concurrent updates one after the other, each on the result of the last', async () => {
    const merchantId = newMerchantId();
    const customer = await newCustomer(merchantId);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        db.handlers.update.handle(
          requestOf(merchantId, { id: customer.id, metadata: { [`k${i}`]: `${i}` } }),
        ),
      ),
    );
    const row = await db.row(customer.id);
    expect(row?.version).toBe(9);
    expect(Object.keys(row?.metadata ?? {})).toHaveLength(3 + 8);
    expect((await db.events(customer.id)).map((e) => e.streamVersion)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
  });

  it('answers 400 naming metadata when the merge would exceed 50 keys', async () => {
    const merchantId = newMerchantId();
    const customer = await newCustomer(merchantId);
    const metadata = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`n${i}`, 'v']));
    const reply = await db.handlers.update.handle(
      requestOf(merchantId, { id: customer.id, metadata }),
    );
    expect(reply).toMatchObject({
      ok: false,
      status: 400,
      error: { type: 'invalid_request_error', param: 'metadata' },
    });
    expect(await db.events(customer.id)).toHaveLength(1);
  });

  it("answers 404 for an unknown, deleted or another merchant's customer", async () => {
    const merchantId = newMerchantId();
    const customer = await newCustomer(merchantId);
    const notFound = { ok: false, status: 404, error: { code: 'resource_missing', param: 'id' } };

    expect(
      await db.handlers.update.handle(requestOf(newMerchantId(), { id: customer.id, name: 'X' })),
    ).toMatchObject(notFound);
    expect(
      await db.handlers.update.handle(requestOf(merchantId, { id: 'cust_none', name: 'X' })),
    ).toMatchObject(notFound);
    bodyOf(await db.handlers.remove.handle(requestOf(merchantId, { id: customer.id })));
    expect(
      await db.handlers.update.handle(requestOf(merchantId, { id: customer.id, name: 'X' })),
    ).toMatchObject(notFound);
    // Unchanged since the deletion, which erased the name.
    expect(await db.row(customer.id)).toMatchObject({ name: null, version: 2 });
  });
});
