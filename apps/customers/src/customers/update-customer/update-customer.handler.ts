import { fail, notFound, ok, RequestTopics, type TopicRequest } from '@finfusion/contracts';
import { Clock, HandlesRequest } from '@finfusion/runtime';
import { toCustomer, updateCustomer } from '../domain/customer';
import { CustomerRepository } from '../customer.repository';

@HandlesRequest(RequestTopics.customers.update)
export class UpdateCustomerHandler {
  constructor(
    private readonly customers: CustomerRepository,
    private readonly clock: Clock,
  ) {}

  async handle({ meta, payload }: TopicRequest<typeof RequestTopics.customers.update>) {
    const { id, email, name, metadata } = payload;
    // Concurrent updates apply one after another: each one merges onto the previous one's result.
    const updated = await this.customers.changeLive(
      meta.merchantId,
      id,
      async (current, manager) => {
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
      },
    );
    return updated ?? notFound('customer');
  }
}
