import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  fail,
  notFound,
  ok,
  RequestTopics,
  type Customer,
  type ServiceReply,
  type ServiceRequest,
  type UpdateCustomerPayload,
} from '@finfusion/contracts';
import { Clock, MessageController } from '@finfusion/runtime';
import { toCustomer, updateCustomer } from '../domain/customer';
import { CustomerRepository } from '../customer.repository';

@MessageController()
export class UpdateCustomerHandler {
  constructor(
    private readonly customers: CustomerRepository,
    private readonly clock: Clock,
  ) {}

  @MessagePattern(RequestTopics.customers.update)
  async handle(
    @Payload() { meta, payload }: ServiceRequest<UpdateCustomerPayload>,
  ): Promise<ServiceReply<Customer>> {
    const { id, email, name, metadata } = payload;
    return this.customers.transaction(async (manager) => {
      // The row lock orders concurrent updates: each one merges onto the previous one's result.
      const current = await this.customers.findLive(manager, meta.merchantId, id, { lock: true });
      if (!current) return notFound('customer');
      const outcome = updateCustomer(current, { email, name, metadata }, this.clock.now());
      switch (outcome.kind) {
        case 'rejected':
          return fail(400, {
            type: 'invalid_request_error',
            code: 'parameter_invalid',
            message: outcome.message,
            param: outcome.param,
          });
        case 'unchanged':
          return ok(toCustomer(outcome.state));
        case 'changed':
          await this.customers.save(manager, current.version, outcome, meta);
          return ok(outcome.event.data);
      }
    });
  }
}
