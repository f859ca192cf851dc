import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  fail,
  ok,
  RequestTopics,
  type CustomerList,
  type ListCustomersPayload,
  type ServiceReply,
  type ServiceRequest,
} from '@finfusion/contracts';
import { MessageController, paginate } from '@finfusion/runtime';
import { toCustomer } from '../domain/customer';
import { CustomerRepository } from '../customer.repository';

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 100;

// The gateway validates `limit`; this keeps a request that skipped it from reading a whole table.
const limitOf = (limit: unknown): number =>
  typeof limit === 'number' && Number.isInteger(limit)
    ? Math.min(Math.max(limit, 1), MAX_LIMIT)
    : DEFAULT_LIMIT;

@MessageController()
export class ListCustomersHandler {
  constructor(private readonly customers: CustomerRepository) {}

  @MessagePattern(RequestTopics.customers.list)
  async handle(
    @Payload() { meta, payload }: ServiceRequest<ListCustomersPayload>,
  ): Promise<ServiceReply<CustomerList>> {
    const { starting_after, ending_before, email } = payload;
    if (starting_after !== undefined && ending_before !== undefined) {
      return fail(400, {
        type: 'invalid_request_error',
        code: 'parameter_invalid',
        message: 'Give at most one of starting_after and ending_before.',
        param: 'ending_before',
      });
    }
    const page = await paginate(
      this.customers.liveCustomers(meta.merchantId, email),
      { limit: limitOf(payload.limit), starting_after, ending_before },
      toCustomer,
    );
    return 'ok' in page ? page : ok(page);
  }
}
