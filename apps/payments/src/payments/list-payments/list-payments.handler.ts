import { DataSource } from 'typeorm';
import { RequestTopics, type ServiceRequest } from '@finfusion/contracts';
import { HandlesRequest, paginate } from '@finfusion/runtime';
import { PaymentReadModel, toResource } from '../projections/payment-read-model/payment-read-model';
import { parseListPayments } from './list-payments.request';

/** payments.list: the merchant's payments, newest first, from the read model only. */
@HandlesRequest(RequestTopics.payments.list)
export class ListPaymentsHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly readModel: PaymentReadModel,
  ) {}

  async handle({ meta, payload }: ServiceRequest<unknown>) {
    const parsed = parseListPayments(payload);
    if (!parsed.ok) return parsed.reply;
    const { page, filter } = parsed.value;
    const query = this.readModel.list(this.dataSource.manager, meta.merchantId, filter);
    return paginate(query, page, toResource);
  }
}
