import { notFound, ok, RequestTopics, type TopicRequest } from '@finfusion/contracts';
import { Clock, HandlesRequest } from '@finfusion/runtime';
import { deleteCustomer } from '../domain/customer';
import { CustomerRepository } from '../customer.repository';

@HandlesRequest(RequestTopics.customers.delete)
export class DeleteCustomerHandler {
  constructor(
    private readonly customers: CustomerRepository,
    private readonly clock: Clock,
  ) {}

  async handle({ meta, payload }: TopicRequest<typeof RequestTopics.customers.delete>) {
    // A soft delete: the row stays for the log's sake, but a second delete finds nothing.
    const deleted = await this.customers.changeLive(
      meta.merchantId,
      payload.id,
      async (current, manager) => {
        const decision = deleteCustomer(current, this.clock.now());
        await this.customers.save(manager, current.version, decision, meta);
        return ok({ id: current.id, object: 'customer', deleted: true as const });
      },
    );
    return deleted ?? notFound('customer');
  }
}
