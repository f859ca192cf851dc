import { api, createMerchant, waitUntil, type ApiClient } from '@finfusion/testing';
import type { DailyReport, DailySummary, Payment } from '@finfusion/contracts';
import { expectApiError } from '../support/http-expectations.fixture';
import { paced } from '../support/paced-client.fixture';
import { paymentBody, paymentOf } from '../support/payments.fixture';

const day = (instant: string) => instant.slice(0, 10);

/** The rows the report should have for these payments, in its order. */
function expectedRows(payments: Payment[]): DailySummary[] {
  const rows = new Map<string, DailySummary>();
  for (const p of payments) {
    const key = [day(p.created_at), p.amount.currency, p.status].join('|');
    const row = rows.get(key) ?? {
      object: 'daily_summary',
      date: day(p.created_at),
      currency: p.amount.currency,
      status: p.status,
      count: 0,
      volume: 0,
      captured: 0,
      refunded: 0,
      net: 0,
    };
    row.count += 1;
    row.volume += p.amount.value;
    row.captured += p.amount_captured.value;
    row.refunded += p.amount_refunded.value;
    row.net = row.captured - row.refunded;
    rows.set(key, row);
  }
  // By date, then currency, then status, each in text order.
  const key = (r: DailySummary) => `${r.date}|${r.currency}|${r.status}`;
  return [...rows.values()].sort((a, b) => (key(a) < key(b) ? -1 : 1));
}

describe('GET /v2/reports/daily', () => {
  let client: ApiClient;
  let payments: Payment[];
  let from: string;
  let to: string;

  beforeAll(async () => {
    client = paced(api((await createMerchant()).apiKey));
    payments = [];
    for (const [number, amount] of [
      ['4242424242424242', { value: 1000, currency: 'USD' }],
      ['5555555555554444', { value: 2500, currency: 'USD' }],
      ['4000000000009995', { value: 700, currency: 'USD' }],
      ['4242424242424242', { value: 500, currency: 'JPY' }],
      ['4000000000000119', { value: 42, currency: 'JPY' }],
    ] as const) {
      payments.push(
        paymentOf(await client.post('/v2/payments', paymentBody({ number }, { amount }))),
      );
    }
    // Payments made around midnight UTC fall on two days: the report covers both.
    from = day(payments[0]!.created_at);
    to = day(payments.at(-1)!.created_at);
  });

  const report = async (query: string): Promise<DailyReport> => {
    const response = await client.get(`/v2/reports/daily${query}`);
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 200 });
    return response.body as DailyReport;
  };

  /**
   * Polls until the report has counted `expected` payments, each under its outcome: it is built
   * asynchronously, event by event, so a payment shows as pending until its outcome is counted.
   */
  const settled = async (query: string, expected: number): Promise<DailyReport> => {
    let last: DailyReport | undefined;
    await waitUntil(
      async () => {
        last = await report(query);
        const counted = last.data.reduce((n, row) => n + row.count, 0);
        return counted >= expected && last.data.every((row) => row.status !== 'pending');
      },
      15_000,
      250,
    ).catch(() => undefined);
    return last ?? report(query);
  };

  it('counts each payment once, under its status, per day and currency (built asynchronously)', async () => {
    const shown = await settled(`?from=${from}&to=${to}`, payments.length);
    expect(shown).toEqual({ object: 'daily_report', from, to, data: expectedRows(payments) });
  });

  it('filters by currency', async () => {
    const jpy = payments.filter((p) => p.amount.currency === 'JPY');
    const shown = await settled(`?from=${from}&to=${to}&currency=JPY`, jpy.length);
    expect(shown.data).toEqual(expectedRows(jpy));
    expect(shown.data.map((r) => [r.status, r.count, r.volume])).toEqual(
      expect.arrayContaining([
        ['succeeded', 1, 500],
        ['failed', 1, 42],
      ]),
    );
  });

  it('shows only the merchant’s own payments, and nothing for days without any', async () => {
    const other = api((await createMerchant()).apiKey);
    const response = await other.get(`/v2/reports/daily?from=${from}&to=${to}`);
    expect(response.status).toBe(200);
    expect((response.body as DailyReport).data).toEqual([]);
    expect((await report('?from=2001-01-01&to=2001-12-31')).data).toEqual([]);
  });

  it.each([
    ['', 'parameter_missing', 'from'],
    ['?from=2026-03-01', 'parameter_missing', 'to'],
    ['?from=2026-02-30&to=2026-03-31', 'parameter_invalid', 'from'],
    ['?from=03/01/2026&to=2026-03-31', 'parameter_invalid', 'from'],
    ['?from=2026-03-31&to=2026-03-01', 'parameter_invalid', 'to'],
    ['?from=2026-01-01&to=2027-01-02', 'parameter_invalid', 'to'],
    ['?from=2026-03-01&to=2026-03-31&currency=usd', 'parameter_invalid', 'currency'],
    ['?from=2026-03-01&to=2026-03-31&status=failed', 'parameter_unknown', 'status'],
  ])('refuses %s with %s naming %s', async (query, code, param) => {
    expectApiError(await client.get(`/v2/reports/daily${query}`), 400, {
      type: 'invalid_request_error',
      code,
      param,
    });
  });

  it('accepts a range of exactly 366 days', async () => {
    expect((await client.get('/v2/reports/daily?from=2028-01-01&to=2028-12-31')).status).toBe(200);
  });
});
