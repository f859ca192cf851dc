import type { Customer, ListCustomersPayload } from '@finfusion/contracts';
import { bodyOf, newMerchantId, requestOf } from '@finfusion/testing';
import { customersTestDb, tick } from '../../testing/customers-db.fixture';

const db = customersTestDb();
let merchantId: string;
/** The merchant's customers, oldest first: c0 … c6. */
let customers: Customer[];

beforeAll(async () => {
  const create = db.handlers.create;
  merchantId = newMerchantId();
  customers = [];
  for (let i = 0; i < 7; i += 1) {
    const email = i === 3 ? 'Shared@Example.com' : i === 5 ? 'shared@example.COM' : `c${i}@x.io`;
    customers.push(bodyOf(await create.handle(requestOf(merchantId, { email }))));
    await tick();
  }
  // Noise the list must not show: another merchant's customer, and a deleted one.
  bodyOf(await create.handle(requestOf(newMerchantId(), { email: 'c0@x.io' })));
  const gone = bodyOf(await create.handle(requestOf(merchantId, { email: 'shared@example.com' })));
  bodyOf(await db.handlers.remove.handle(requestOf(merchantId, { id: gone.id })));
});

const page = async (params: Partial<ListCustomersPayload>) =>
  bodyOf(await db.handlers.list.handle(requestOf(merchantId, { limit: 10, ...params })));
const ids = (items: Customer[]) => items.map((customer) => customer.id);
const newestFirst = () => ids([...customers].reverse());

describe('customers.list', () => {
  it("lists the merchant's live customers, newest first, as a list object", async () => {
    const result = await page({});
    expect(result).toMatchObject({ object: 'list', has_more: false });
    expect(ids(result.data)).toEqual(newestFirst());
    expect(result.data[0]).toEqual(customers[6]);
  });

  it('stops at limit and says there is more', async () => {
    const result = await page({ limit: 3 });
    expect(ids(result.data)).toEqual(newestFirst().slice(0, 3));
    expect(result.has_more).toBe(true);
  });

  it('pages forward with starting_after until has_more is false', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const result = await page({ limit: 3, starting_after: cursor });
      seen.push(...ids(result.data));
      if (!result.has_more) break;
      cursor = result.data.at(-1)?.id;
    }
    expect(seen).toEqual(newestFirst());
  });

  it('pages backward with ending_before, still newest first within the page', async () => {
    const result = await page({ limit: 2, ending_before: customers[2]?.id });
    expect(ids(result.data)).toEqual([customers[4]?.id, customers[3]?.id]);
    expect(result.has_more).toBe(true);
  });

  it('filters by exact email, ignoring case', async () => {
    const result = await page({ email: 'SHARED@example.com' });
    expect(ids(result.data)).toEqual([customers[5]?.id, customers[3]?.id]);
    expect((await page({ email: 'shared@example' })).data).toEqual([]);
  });

  it('answers 400 for a cursor that is not one of the listed customers', async () => {
    const reply = await db.handlers.list.handle(
      requestOf(merchantId, { limit: 10, starting_after: 'cust_unknown' }),
    );
    expect(reply).toMatchObject({
      ok: false,
      status: 400,
      error: { type: 'invalid_request_error', param: 'starting_after' },
    });
  });

  it('answers 400 when given both cursors', async () => {
    const reply = await db.handlers.list.handle(
      requestOf(merchantId, {
        limit: 10,
        starting_after: customers[1]?.id,
        ending_before: customers[4]?.id,
      }),
    );
    expect(reply).toMatchObject({ ok: false, status: 400 });
  });

  it('shows another merchant nothing of these customers', async () => {
    const reply = await db.handlers.list.handle(requestOf(newMerchantId(), { limit: 100 }));
    expect(bodyOf(reply).data).toEqual([]);
  });
});
