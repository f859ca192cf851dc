import {
  notFound,
  ok,
  RequestTopics,
  type LookupCustomerPayload,
  type ServiceRequest,
} from '@finfusion/contracts';
import { HandlesRequest } from '@finfusion/runtime';
import { CustomerEntity } from '../customer.entity';
import { CustomerRepository } from '../customer.repository';

/**
 * customers.lookup: whose customer an id is, deleted or not, for services that learn customers
 * from customers.customer.events and ask here when an id has not reached them yet. Unlike
 * customers.get it answers for any merchant: the caller decides, and never shows this to another
 * merchant.
 */
@HandlesRequest(RequestTopics.customers.lookup)
export class LookupCustomerHandler {
  constructor(private readonly customers: CustomerRepository) {}

  async handle({ payload }: ServiceRequest<Partial<LookupCustomerPayload> | null>) {
    const id = typeof payload?.id === 'string' ? payload.id : '';
    const row =
      id === ''
        ? null
        : await this.customers.manager.findOne(CustomerEntity, {
            select: { id: true, merchant_id: true, deleted_at: true, version: true },
            where: { id },
          });
    if (row === null) return notFound('customer');
    return ok({
      id: row.id,
      merchant_id: row.merchant_id,
      deleted: row.deleted_at !== null,
      sequence: row.version,
    });
  }
}
