import {
  notFound,
  ok,
  RequestTopics,
  type GetCustomerPayload,
  type ServiceRequest,
} from '@finfusion/contracts';
import { Clock, HandlesRequest } from '@finfusion/runtime';
import { deleteCustomer } from '../domain/customer';
import { CustomerRepository } from '../customer.repository';

@HandlesRequest(RequestTopics.customers.delete)
export class DeleteCustomerHandler {
  constructor(
    private readonly customers: CustomerRepository,
    private readonly clock: Clock,
  ) {}

  async handle({ meta, payload }: ServiceRequest<GetCustomerPayload>) {
    return this.customers.transaction(async (manager) => {
      const current = await this.customers.findLive(manager, meta.merchantId, payload.id, {
        lock: true,
      });
      // A soft delete: the row stays for the log's sake, but a second delete finds nothing.
      if (!current) return notFound('customer');
      await this.customers.save(
        manager,
        current.version,
        deleteCustomer(current, this.clock.now()),
        meta,
      );
      return ok({ id: current.id, object: 'customer', deleted: true as const });
    });
  }
}
