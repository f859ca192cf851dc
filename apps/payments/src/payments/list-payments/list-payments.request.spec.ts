import { parseListPayments } from './list-payments.request';

const param = (payload: unknown) => {
  const parsed = parseListPayments(payload);
  return parsed.ok ? null : parsed.reply.error.param;
};

describe('parseListPayments', () => {
  it('defaults to 10 per page with no filter', () => {
    expect(parseListPayments({})).toEqual({ ok: true, value: { page: { limit: 10 }, filter: {} } });
  });

  it('reads cursors, status, customer and a created range', () => {
    expect(
      parseListPayments({
        limit: 3,
        starting_after: 'pay_abc',
        status: 'failed',
        customer: 'cust_1',
        created: { gte: '2026-03-01T00:00:00Z', lte: '2026-03-31T23:59:59.999+01:00' },
      }),
    ).toEqual({
      ok: true,
      value: {
        page: { limit: 3, starting_after: 'pay_abc' },
        filter: {
          status: 'failed',
          customerId: 'cust_1',
          createdGte: new Date('2026-03-01T00:00:00Z'),
          createdLte: new Date('2026-03-31T22:59:59.999Z'),
        },
      },
    });
  });

  it.each([
    [{ limit: 0 }, 'limit'],
    [{ limit: 101 }, 'limit'],
    [{ limit: '10' }, 'limit'],
    [{ starting_after: 'cust_1' }, 'starting_after'],
    [{ starting_after: 'pay_1', ending_before: 'pay_2' }, 'ending_before'],
    [{ status: 'refunded' }, 'status'],
    [{ customer: 'pay_1' }, 'customer'],
    [{ created: '2026' }, 'created'],
    [{ created: { gte: '2026-03-01' } }, 'created.gte'],
    [{ created: { lte: 'yesterday' } }, 'created.lte'],
  ])('refuses %p naming %s', (payload, name) => {
    expect(param(payload)).toBe(name);
  });
});
