import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  notFound,
  ok,
  RequestTopics,
  type CustomerStanding,
  type LookupCustomerPayload,
  type ServiceReply,
  type ServiceRequest,
} from '@finfusion/contracts';
import { MessageController } from '@finfusion/runtime';
import { CustomerEntity } from '../customer.entity';
import { CustomerRepository } from '../customer.repository';

/**
 * customers.lookup: whose customer an id is, deleted or not, for services that learn customers
 * from customers.customer.events and ask here when an id has not reached them yet. Unlike
 * customers.get it answers for any merchant: the caller decides, and never shows this to another
 * merchant.
 */
@MessageController()
export class LookupCustomerHandler {
  constructor(private readonly customers: CustomerRepository) {}

  @MessagePattern(RequestTopics.customers.lookup)
  async handle(
    @Payload() { payload }: ServiceRequest<Partial<LookupCustomerPayload> | null>,
  ): Promise<ServiceReply<CustomerStanding>> {
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
