import { Get, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { RequestTopics, type DailyReport, type RequestMeta } from '@finfusion/contracts';
import { ApiErrors, ApiSuccess } from '../docs/api-docs.decorators';
import { ServiceClient } from '../forwarding/service-client';
import { ApiController } from '../http/api-controller.decorator';
import { Meta } from '../http/request-meta.decorator';
import { DailyReportQuery } from './payment.requests';
import { DailyReportResponse } from './payment.responses';

/** Reports over the merchant's payments, built by the payments service from its event log. */
@ApiController('reports', 'Reports')
export class ReportsController {
  constructor(private readonly services: ServiceClient) {}

  @Get('daily')
  @ApiOperation({
    operationId: 'getDailyReport',
    summary: 'Daily payment totals',
    description:
      'Count and volume per UTC day of creation, currency and current status. Built ' +
      'asynchronously from the event log: a new payment appears within moments.',
  })
  @ApiSuccess(DailyReportResponse, 'The report.')
  @ApiErrors(400)
  daily(@Query() query: DailyReportQuery, @Meta() meta: RequestMeta): Promise<DailyReport> {
    const { from, to, currency } = query;
    return this.services.send(
      RequestTopics.payments.dailyReport,
      meta,
      currency === undefined ? { from, to } : { from, to, currency },
      meta.requestId,
    );
  }
}
