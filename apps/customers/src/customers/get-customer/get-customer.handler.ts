import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  notFound,
  ok,
  RequestTopics,
  type Customer,
  type GetCustomerPayload,
  type ServiceReply,
  type ServiceRequest,
} from '@finfusion/contracts';
import { MessageController } from '@finfusion/runtime';
import { toCustomer } from '../domain/customer';
import { CustomerRepository } from '../customer.repository';

@MessageController()
export class GetCustomerHandler {
  constructor(private readonly customers: CustomerRepository) {}

  @MessagePattern(RequestTopics.customers.get)
  async handle(
    @Payload() { meta, payload }: ServiceRequest<GetCustomerPayload>,
  ): Promise<ServiceReply<Customer>> {
    const customer = await this.customers.findLive(
      this.customers.manager,
      meta.merchantId,
      payload.id,
    );
    // Unknown, deleted and another merchant's customers all look the same: absent.
    return customer ? ok(toCustomer(customer)) : notFound('customer');
  }
}
