import type { PaymentList, ServiceReply, SuccessReply } from '@finfusion/contracts';
import { newId } from '@finfusion/contracts';
import { newMerchantId } from '@finfusion/testing';
import { requestMeta, testDatabase } from '../../testing/database.fixture';
import { createPayload, paymentsService, TestClock } from '../../testing/payments.fixture';

const db = testDatabase();
let service: ReturnType<typeof paymentsService>;
const clock = new TestClock(new Date('2026-03-10T12:00:00.000Z'));
const merchant = newMerchantId();
const customer = newId('cust');
/** Ids in creation order: index 0 is the oldest. */
const created: { id: string; status: string; at: string }[] = [];

beforeAll(async () => {
  service = paymentsService(db, { clock });
  await service.customers.record({
    customerId: customer,
    merchantId: merchant,
    deleted: false,
    sequence: 1,
  });
  for (let i = 0; i < 7; i++) {
    clock.current = new Date(Date.UTC(2026, 2, 10 + i, 12));
    const payload = createPayload({
      number: i % 3 === 0 ? '4000000000000002' : '4242424242424242',
      ...(i % 2 === 0 && { customer }),
    });
    const reply = await service.create.handle({ meta: requestMeta(merchant), payload });
    const body = reply.ok
      ? (reply.body as { id: string; status: string; created_at: string })
      : (reply.error.payment as { id: string; status: string; created_at: string });
    created.push({ id: body.id, status: body.status, at: body.created_at });
  }
  // Another merchant's payment must never show up.
  await service.create.handle({ meta: requestMeta(newMerchantId()), payload: createPayload() });
});

const list = async (payload: object) => {
  const reply: ServiceReply<PaymentList> = await service.list.handle({
    meta: requestMeta(merchant),
    payload,
  });
  expect(reply.ok).toBe(true);
  return (reply as SuccessReply<PaymentList>).body;
};
const ids = (page: PaymentList) => page.data.map((p) => p.id);
const newestFirst = () => created.map((p) => p.id).reverse();

describe('payments.list', () => {
  it("lists the merchant's payments newest first, and only theirs", async () => {
    const page = await list({ limit: 100 });
    expect(ids(page)).toEqual(newestFirst());
    expect(page).toMatchObject({ object: 'list', has_more: false });
  });

  it('pages forward with starting_after and back with ending_before', async () => {
    const first = await list({ limit: 3 });
    expect(ids(first)).toEqual(newestFirst().slice(0, 3));
    expect(first.has_more).toBe(true);
    const second = await list({ limit: 3, starting_after: ids(first).at(-1) });
    expect(ids(second)).toEqual(newestFirst().slice(3, 6));
    const last = await list({ limit: 3, starting_after: ids(second).at(-1) });
    expect(ids(last)).toEqual(newestFirst().slice(6));
    expect(last.has_more).toBe(false);
    const back = await list({ limit: 3, ending_before: ids(last)[0] });
    expect(ids(back)).toEqual(ids(second));
  });

  it('filters by status', async () => {
    const failed = await list({ limit: 100, status: 'failed' });
    expect(ids(failed)).toEqual(
      newestFirst().filter((id) => created.find((p) => p.id === id)?.status === 'failed'),
    );
    expect(failed.data).toHaveLength(3);
    expect((await list({ limit: 100, status: 'pending' })).data).toEqual([]);
  });

  it('filters by customer', async () => {
    const page = await list({ limit: 100, customer });
    expect(page.data).toHaveLength(4);
    for (const payment of page.data) expect(payment.customer).toBe(customer);
  });

  it('filters by an inclusive created-at range', async () => {
    const page = await list({ limit: 100, created: { gte: created[2]!.at, lte: created[4]!.at } });
    expect(ids(page)).toEqual([created[4]!.id, created[3]!.id, created[2]!.id]);
    expect(ids(await list({ limit: 100, created: { gte: '2026-03-16T00:00:00Z' } }))).toEqual([
      created[6]!.id,
    ]);
  });

  it("answers 400 for a cursor that is not one of the merchant's payments", async () => {
    expect(
      await service.list.handle({
        meta: requestMeta(merchant),
        payload: { limit: 3, starting_after: 'pay_unknown' },
      }),
    ).toMatchObject({ status: 400, error: { param: 'starting_after' } });
  });
});
