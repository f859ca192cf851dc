import { newId, ok, RequestTopics, type TopicRequest } from '@finfusion/contracts';
import { Clock, HandlesRequest } from '@finfusion/runtime';
import { createCustomer } from '../domain/customer';
import { CustomerRepository } from '../customer.repository';

@HandlesRequest(RequestTopics.customers.create)
export class CreateCustomerHandler {
  constructor(
    private readonly customers: CustomerRepository,
    private readonly clock: Clock,
  ) {}

  async handle({ meta, payload }: TopicRequest<typeof RequestTopics.customers.create>) {
    const decision = createCustomer(
      {
        id: newId('cust'),
        merchantId: meta.merchantId,
        email: payload.email,
        name: payload.name,
        metadata: payload.metadata,
        idempotencyKey: meta.idempotencyKey,
      },
      this.clock.now(),
    );
    const { manager } = this.customers;
    if (await this.customers.insert(manager, decision, meta)) return ok(decision.event.data);
    // Only a taken idempotency key refuses the insert: answer with that customer.
    const first = await this.customers.answeredToKey(manager, meta);
    if (!first) throw new Error('customer insert refused without an idempotency key holder');
    return ok(first);
  }
}
