import { DataSource } from 'typeorm';
import { ok, RequestTopics, type ServiceRequest } from '@finfusion/contracts';
import { HandlesRequest } from '@finfusion/runtime';
import { parseDailyReport } from './daily-report.request';
import { readDailySummaries } from './daily-summary.projection';

/** payments.report-daily (GET /v2/reports/daily): the merchant's summary cells over a day range. */
@HandlesRequest(RequestTopics.payments.dailyReport)
export class DailyReportHandler {
  constructor(private readonly dataSource: DataSource) {}

  async handle({ meta, payload }: ServiceRequest<unknown>) {
    const parsed = parseDailyReport(payload);
    if (!parsed.ok) return parsed.reply;
    const { from, to, currency } = parsed.value;
    const data = await readDailySummaries(
      this.dataSource.manager,
      meta.merchantId,
      from,
      to,
      currency,
    );
    return ok({ object: 'daily_report' as const, from, to, data });
  }
}
