import {
  instantOf,
  instantRule,
  limitRule,
  ListLimits,
  ListPaymentsRules,
  oneCursorRule,
  type ErrorReply,
  type FieldRule,
  type ListParams,
  type PaymentStatus,
} from '@finfusion/contracts';
import type { ListFilter } from '../projections/payment-read-model/payment-read-model';
import { PaymentErrors } from '../payment.errors';

export interface ListPaymentsRequest {
  page: ListParams;
  filter: ListFilter;
}

type Parsed = { ok: true; value: ListPaymentsRequest } | { ok: false; reply: ErrorReply };

/** Each optional parameter of the payload with its rule (libs/contracts), in the order checked. */
const Rules: readonly [string, FieldRule][] = [
  ['limit', limitRule],
  ['starting_after', ListPaymentsRules.starting_after],
  ['ending_before', ListPaymentsRules.ending_before],
  ['ending_before', oneCursorRule],
  ['status', ListPaymentsRules.status],
  ['customer', ListPaymentsRules.customer],
];

/** The created range's bounds, named as the payload names them. */
const Bounds = [
  ['gte', instantRule('created.gte')],
  ['lte', instantRule('created.lte')],
] as const;

/** The first parameter that breaks its rule, as the 400 naming it. */
function firstProblem(p: Record<string, unknown>): ErrorReply | undefined {
  for (const [param, rule] of Rules) {
    const problem = p[param] === undefined ? undefined : rule(p[param], p);
    if (problem !== undefined)
      return PaymentErrors.invalidParam(param, problem.code, problem.message);
  }
  if (p.created === undefined) return undefined;
  const created = p.created as Record<string, unknown> | null;
  if (typeof created !== 'object' || created === null) {
    const message = 'created must be an object with gte and/or lte.';
    return PaymentErrors.invalidParam('created', 'parameter_invalid', message);
  }
  for (const [bound, rule] of Bounds) {
    const problem = created[bound] === undefined ? undefined : rule(created[bound], created);
    if (problem !== undefined) {
      return PaymentErrors.invalidParam(`created.${bound}`, problem.code, problem.message);
    }
  }
  return undefined;
}

/** payments.list parameters, checked again here: the gateway is not the only possible sender. */
export function parseListPayments(payload: unknown): Parsed {
  const p = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<
    string,
    unknown
  >;
  const reply = firstProblem(p);
  if (reply !== undefined) return { ok: false, reply };
  const created = (p.created ?? {}) as Record<string, unknown>;
  const createdGte = instantOf(created.gte);
  const createdLte = instantOf(created.lte);
  const page: ListParams = {
    limit: (p.limit as number | undefined) ?? ListLimits.default,
    ...(p.starting_after !== undefined && { starting_after: p.starting_after as string }),
    ...(p.ending_before !== undefined && { ending_before: p.ending_before as string }),
  };
  const filter: ListFilter = {
    ...(p.status !== undefined && { status: p.status as PaymentStatus }),
    ...(p.customer !== undefined && { customerId: p.customer as string }),
    ...(createdGte !== undefined && { createdGte }),
    ...(createdLte !== undefined && { createdLte }),
  };
  return { ok: true, value: { page, filter } };
}
