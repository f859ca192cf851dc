import { parseListEvents } from './list-events.request';

// The rules themselves are libs/contracts' (tested there): these check that each parameter reaches
// its rule and that the refusal names it as the payload does.

const refusedParam = (payload: Record<string, unknown>) => {
  const parsed = parseListEvents(payload);
  return parsed.ok ? null : parsed.param;
};

describe('parseListEvents', () => {
  it('defaults to 10 per page with no filter', () => {
    expect(parseListEvents({})).toEqual({ ok: true, value: { page: { limit: 10 }, filter: {} } });
  });

  it('reads the cursors, the type and the created range', () => {
    expect(
      parseListEvents({
        limit: 3,
        ending_before: 'evt_abc',
        type: 'customer.updated',
        created: { gte: '2026-03-01T00:00:00Z', lte: '2026-03-31T23:59:59.999+01:00' },
      }),
    ).toEqual({
      ok: true,
      value: {
        page: { limit: 3, ending_before: 'evt_abc' },
        filter: {
          type: 'customer.updated',
          createdGte: new Date('2026-03-01T00:00:00Z'),
          createdLte: new Date('2026-03-31T22:59:59.999Z'),
        },
      },
    });
  });

  it('refuses a type that is no public event type, naming type', () => {
    expect(parseListEvents({ type: 'payment.refunded' })).toEqual({
      ok: false,
      param: 'type',
      code: 'parameter_invalid',
      message: expect.stringContaining('type must be one of payment.created') as unknown,
    });
    expect(refusedParam({ type: ['payment.created'] })).toBe('type');
    expect(refusedParam({ type: '*' })).toBe('type');
  });

  it('refuses a bound that is no ISO 8601 date-time with a zone, naming the bound', () => {
    expect(refusedParam({ created: { gte: '2026-03-01' } })).toBe('created.gte');
    expect(refusedParam({ created: { lte: '2026-03-01T00:00:00' } })).toBe('created.lte');
    expect(refusedParam({ created: { gte: '2026-13-01T00:00:00Z' } })).toBe('created.gte');
    expect(refusedParam({ created: { gte: 1772323200 } })).toBe('created.gte');
    expect(refusedParam({ created: '2026-03-01T00:00:00Z' })).toBe('created');
    expect(refusedParam({ created: null })).toBe('created');
  });

  it('refuses cursors that are no event ids, and both cursors at once', () => {
    expect(refusedParam({ starting_after: 'pay_abc' })).toBe('starting_after');
    expect(refusedParam({ ending_before: '' })).toBe('ending_before');
    expect(refusedParam({ starting_after: 'evt_a', ending_before: 'evt_b' })).toBe('ending_before');
  });

  it('refuses a limit outside 1 to 100', () => {
    expect(refusedParam({ limit: 0 })).toBe('limit');
    expect(refusedParam({ limit: 101 })).toBe('limit');
    expect(refusedParam({ limit: '5' })).toBe('limit');
  });
});
