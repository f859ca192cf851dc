import { DataSource } from 'typeorm';
import { RequestTopics, type ServiceRequest } from '@finfusion/contracts';
import { HandlesRequest, paginate } from '@finfusion/runtime';
import {
  PaymentReadModel,
  toRefundResourceOf,
} from '../projections/payment-read-model/payment-read-model';
import { parseListRefunds } from './list-refunds.request';

/** refunds.list: the merchant's refunds, newest first, of one payment if asked, from the read model. */
@HandlesRequest(RequestTopics.payments.listRefunds)
export class ListRefundsHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly readModel: PaymentReadModel,
  ) {}

  async handle({ meta, payload }: ServiceRequest<unknown>) {
    const parsed = parseListRefunds(payload);
    if (!parsed.ok) return parsed.reply;
    const { page, paymentId } = parsed.value;
    const query = this.readModel.listRefunds(this.dataSource.manager, meta.merchantId, paymentId);
    return paginate(query, page, toRefundResourceOf);
  }
}
