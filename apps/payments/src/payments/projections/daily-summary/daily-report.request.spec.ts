import { parseDailyReport } from './daily-report.request';

// The rules themselves are tested in libs/contracts (payment.rules.spec.ts); these show that each
// field reaches its rule and is named.
const param = (payload: unknown) => {
  const parsed = parseDailyReport(payload);
  return parsed.ok ? null : parsed.reply.error.param;
};

describe('parseDailyReport', () => {
  it('takes an inclusive range of UTC days and an optional currency', () => {
    expect(parseDailyReport({ from: '2026-03-01', to: '2026-03-31', currency: 'JPY' })).toEqual({
      ok: true,
      value: { from: '2026-03-01', to: '2026-03-31', currency: 'JPY' },
    });
    expect(parseDailyReport({ from: '2026-03-01', to: '2026-03-01' })).toEqual({
      ok: true,
      value: { from: '2026-03-01', to: '2026-03-01' },
    });
  });

  it.each([
    [{ to: '2026-03-01' }, 'from'],
    [{ from: '2026-03-02', to: '2026-03-01' }, 'to'],
    [{ from: '2026-03-01', to: '2026-03-02', currency: 'usd' }, 'currency'],
  ])('refuses %p naming %s', (payload, name) => {
    expect(param(payload)).toBe(name);
  });
});
