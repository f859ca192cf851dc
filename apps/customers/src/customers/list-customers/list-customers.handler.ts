import {
  fail,
  ListLimits,
  oneCursorRule,
  RequestTopics,
  type TopicRequest,
} from '@finfusion/contracts';
import { HandlesRequest, paginate } from '@finfusion/runtime';
import { toCustomer } from '../domain/customer';
import { CustomerRepository } from '../customer.repository';

// The gateway validates `limit`; this keeps a request that skipped it from reading a whole table.
const limitOf = (limit: unknown): number =>
  typeof limit === 'number' && Number.isInteger(limit)
    ? Math.min(Math.max(limit, 1), ListLimits.max)
    : ListLimits.default;

@HandlesRequest(RequestTopics.customers.list)
export class ListCustomersHandler {
  constructor(private readonly customers: CustomerRepository) {}

  async handle({ meta, payload }: TopicRequest<typeof RequestTopics.customers.list>) {
    const { starting_after, ending_before, email } = payload;
    const bothCursors =
      ending_before === undefined ? undefined : oneCursorRule(ending_before, { starting_after });
    if (bothCursors !== undefined) {
      return fail(400, {
        type: 'invalid_request_error',
        code: bothCursors.code,
        message: bothCursors.message,
        param: 'ending_before',
      });
    }
    return paginate(
      this.customers.liveCustomers(meta.merchantId, email),
      { limit: limitOf(payload.limit), starting_after, ending_before },
      toCustomer,
    );
  }
}
