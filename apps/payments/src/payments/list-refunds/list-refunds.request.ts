import {
  limitRule,
  ListLimits,
  ListRefundsRules,
  oneCursorRule,
  type FieldRule,
  type ListParams,
} from '@finfusion/contracts';
import type { Parsed } from '../create-payment/create-payment.request';
import { readFields } from '../request-fields';

export interface ListRefundsRequest {
  page: ListParams;
  paymentId?: string;
}

/** Each parameter of the payload with its rule (libs/contracts), in the order checked. */
const Rules: Readonly<Record<'limit' | 'starting_after' | 'ending_before' | 'payment', FieldRule>> =
  {
    limit: limitRule,
    starting_after: ListRefundsRules.starting_after,
    ending_before: (value, fields) =>
      ListRefundsRules.ending_before(value, fields) ?? oneCursorRule(value, fields),
    payment: ListRefundsRules.payment,
  };

/** refunds.list parameters, checked again here: the gateway is not the only possible sender. */
export function parseListRefunds(payload: unknown): Parsed<ListRefundsRequest> {
  const read = readFields(payload ?? {}, Rules);
  if (!read.ok) return read;
  // Each value passed its rule: limit an integer, the others ids.
  const { limit, starting_after, ending_before, payment } = read.value as {
    limit?: number;
    starting_after?: string;
    ending_before?: string;
    payment?: string;
  };
  const page: ListParams = {
    limit: limit ?? ListLimits.default,
    ...(starting_after !== undefined && { starting_after }),
    ...(ending_before !== undefined && { ending_before }),
  };
  return { ok: true, value: { page, ...(payment !== undefined && { paymentId: payment }) } };
}
