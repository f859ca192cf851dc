import { DataSource } from 'typeorm';
import {
  ok,
  RequestTopics,
  type GetRefundPayload,
  type ServiceRequest,
} from '@finfusion/contracts';
import { HandlesRequest } from '@finfusion/runtime';
import { PaymentErrors } from '../payment.errors';
import {
  PaymentReadModel,
  toRefundResourceOf,
} from '../projections/payment-read-model/payment-read-model';

/** refunds.get: from the refunds read model, written with the refund's events. */
@HandlesRequest(RequestTopics.payments.getRefund)
export class GetRefundHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly readModel: PaymentReadModel,
  ) {}

  async handle({ meta, payload }: ServiceRequest<Partial<GetRefundPayload> | undefined>) {
    const id = typeof payload?.id === 'string' ? payload.id : '';
    const row = await this.readModel.findRefund(this.dataSource.manager, meta.merchantId, id);
    // Unknown and another merchant's refunds look the same: absent.
    return row ? ok(toRefundResourceOf(row)) : PaymentErrors.refundNotFound();
  }
}
