import { toCustomerFact } from './customer-events.consumer';

const record = (value: unknown) => JSON.stringify(value);
const event = (type: string, sequence: number) => ({
  id: 'evt_1',
  type,
  schema_version: 1,
  created_at: '2026-03-15T10:30:00Z',
  merchant_id: 'mer_1',
  data: { object: { id: 'cust_1', object: 'customer', email: 'a@b.c', some_new_field: true } },
  sequence,
});

describe('toCustomerFact', () => {
  it('reads whose customer it is and whether it is live, ignoring unknown fields', () => {
    expect(toCustomerFact(record(event('customer.created', 1)))).toEqual({
      customerId: 'cust_1',
      merchantId: 'mer_1',
      deleted: false,
      sequence: 1,
    });
    expect(toCustomerFact(record(event('customer.deleted', 3)))).toMatchObject({ deleted: true });
  });

  it.each([
    ['not JSON', '{nope'],
    ['an empty record', null],
    ['another event type', record(event('payment.created', 1))],
    ['an event without a sequence', record({ ...event('customer.updated', 2), sequence: 'x' })],
    ['an event without an object id', record({ ...event('customer.updated', 2), data: {} })],
  ])('reports %s as unreadable', (_, value) => {
    expect(toCustomerFact(value)).toHaveProperty('unreadable');
  });
});
