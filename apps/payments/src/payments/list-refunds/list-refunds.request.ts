import {
  limitRule,
  ListLimits,
  ListRefundsRules,
  oneCursorRule,
  type ErrorReply,
  type FieldRule,
  type ListParams,
} from '@finfusion/contracts';
import { PaymentErrors } from '../payment.errors';

export interface ListRefundsRequest {
  page: ListParams;
  paymentId?: string;
}

type Parsed = { ok: true; value: ListRefundsRequest } | { ok: false; reply: ErrorReply };

/** Each optional parameter of the payload with its rule (libs/contracts), in the order checked. */
const Rules: readonly [string, FieldRule][] = [
  ['limit', limitRule],
  ['starting_after', ListRefundsRules.starting_after],
  ['ending_before', ListRefundsRules.ending_before],
  ['ending_before', oneCursorRule],
  ['payment', ListRefundsRules.payment],
];

/** refunds.list parameters, checked again here: the gateway is not the only possible sender. */
export function parseListRefunds(payload: unknown): Parsed {
  const p = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<
    string,
    unknown
  >;
  for (const [param, rule] of Rules) {
    const problem = p[param] === undefined ? undefined : rule(p[param], p);
    if (problem !== undefined) {
      return {
        ok: false,
        reply: PaymentErrors.invalidParam(param, problem.code, problem.message),
      };
    }
  }
  const page: ListParams = {
    limit: (p.limit as number | undefined) ?? ListLimits.default,
    ...(p.starting_after !== undefined && { starting_after: p.starting_after as string }),
    ...(p.ending_before !== undefined && { ending_before: p.ending_before as string }),
  };
  return {
    ok: true,
    value: { page, ...(p.payment !== undefined && { paymentId: p.payment as string }) },
  };
}
