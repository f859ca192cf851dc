import { parseDailyReport } from './daily-report.request';

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
    expect(parseDailyReport({ from: '2026-03-01', to: '2026-03-01' }).ok).toBe(true);
  });

  it('allows a year, leap day included, and no more', () => {
    expect(parseDailyReport({ from: '2028-01-01', to: '2028-12-31' }).ok).toBe(true);
    expect(param({ from: '2026-01-01', to: '2027-01-02' })).toBe('to');
  });

  it.each([
    [{ to: '2026-03-01' }, 'from'],
    [{ from: '2026-02-30', to: '2026-03-01' }, 'from'],
    [{ from: '2026-3-1', to: '2026-03-01' }, 'from'],
    [{ from: '2026-03-01' }, 'to'],
    [{ from: '2026-03-02', to: '2026-03-01' }, 'to'],
    [{ from: '2026-03-01', to: '2026-03-02', currency: 'usd' }, 'currency'],
  ])('refuses %p naming %s', (payload, name) => {
    expect(param(payload)).toBe(name);
  });
});
