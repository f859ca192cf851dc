import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import {
  ok,
  RequestTopics,
  type DailyReport,
  type ServiceReply,
  type ServiceRequest,
} from '@finfusion/contracts';
import { MessageController } from '@finfusion/runtime';
import { parseDailyReport } from './daily-report.request';
import { readDailySummaries } from './daily-summary.projection';

/** payments.report-daily (GET /v2/reports/daily): the merchant's summary cells over a day range. */
@MessageController()
export class DailyReportHandler {
  constructor(private readonly dataSource: DataSource) {}

  @MessagePattern(RequestTopics.payments.dailyReport)
  async handle(
    @Payload() { meta, payload }: ServiceRequest<unknown>,
  ): Promise<ServiceReply<DailyReport>> {
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
    return ok({ object: 'daily_report', from, to, data });
  }
}
