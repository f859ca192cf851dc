import { DataSource } from 'typeorm';
import {
  ok,
  RequestTopics,
  type GetPaymentPayload,
  type ServiceRequest,
} from '@finfusion/contracts';
import { HandlesRequest } from '@finfusion/runtime';
import { PaymentErrors } from '../payment.errors';
import { PaymentReadModel, toResource } from '../projections/payment-read-model/payment-read-model';

/** payments.get: from the read model, which the create transaction wrote (read-your-writes). */
@HandlesRequest(RequestTopics.payments.get)
export class GetPaymentHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly readModel: PaymentReadModel,
  ) {}

  async handle({ meta, payload }: ServiceRequest<Partial<GetPaymentPayload> | undefined>) {
    const id = typeof payload?.id === 'string' ? payload.id : '';
    const row = await this.readModel.find(this.dataSource.manager, meta.merchantId, id);
    // Unknown and another merchant's payments look the same: absent.
    return row ? ok(toResource(row)) : PaymentErrors.paymentNotFound();
  }
}
