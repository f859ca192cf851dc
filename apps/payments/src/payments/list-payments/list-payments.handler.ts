import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import {
  ok,
  RequestTopics,
  type PaymentList,
  type ServiceReply,
  type ServiceRequest,
} from '@finfusion/contracts';
import { MessageController, paginate } from '@finfusion/runtime';
import { PaymentReadModel, toResource } from '../projections/payment-read-model/payment-read-model';
import { parseListPayments } from './list-payments.request';

/** payments.list: the merchant's payments, newest first, from the read model only. */
@MessageController()
export class ListPaymentsHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly readModel: PaymentReadModel,
  ) {}

  @MessagePattern(RequestTopics.payments.list)
  async handle(
    @Payload() { meta, payload }: ServiceRequest<unknown>,
  ): Promise<ServiceReply<PaymentList>> {
    const parsed = parseListPayments(payload);
    if (!parsed.ok) return parsed.reply;
    const { page, filter } = parsed.value;
    const query = this.readModel.list(this.dataSource.manager, meta.merchantId, filter);
    const result = await paginate(query, page, toResource);
    return 'ok' in result ? result : ok(result);
  }
}
