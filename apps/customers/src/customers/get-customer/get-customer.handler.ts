import { notFound, ok, RequestTopics, type TopicRequest } from '@finfusion/contracts';
import { HandlesRequest } from '@finfusion/runtime';
import { toCustomer } from '../domain/customer';
import { CustomerRepository } from '../customer.repository';

@HandlesRequest(RequestTopics.customers.get)
export class GetCustomerHandler {
  constructor(private readonly customers: CustomerRepository) {}

  async handle({ meta, payload }: TopicRequest<typeof RequestTopics.customers.get>) {
    const customer = await this.customers.findLive(meta.merchantId, payload.id);
    // Unknown, deleted and another merchant's customers all look the same: absent.
    return customer ? ok(toCustomer(customer)) : notFound('customer');
  }
}
