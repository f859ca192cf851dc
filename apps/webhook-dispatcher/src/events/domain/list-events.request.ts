import {
  instantOf,
  instantRule,
  limitRule,
  ListEventsRules,
  ListLimits,
  oneCursorRule,
  type FieldRule,
  type ListParams,
  type PublicEventType,
} from '@finfusion/contracts';

/** Which of the merchant's events a page is taken from. */
export interface EventFilter {
  type?: PublicEventType;
  /** Inclusive bounds on when the event happened (the envelope's `created_at`). */
  createdGte?: Date;
  createdLte?: Date;
}

export interface ListEventsRequest {
  page: ListParams;
  filter: EventFilter;
}

/** A parameter that breaks its rule, named as the payload names it (`created.gte`). */
export interface Refusal {
  ok: false;
  param: string;
  message: string;
  /** Defaults to `parameter_invalid`. */
  code?: string;
}

/** Each optional parameter of the payload with its rule (libs/contracts), in the order checked. */
const Rules: readonly [string, FieldRule][] = [
  ['limit', limitRule],
  ['starting_after', ListEventsRules.starting_after],
  ['ending_before', ListEventsRules.ending_before],
  ['ending_before', oneCursorRule],
  ['type', ListEventsRules.type],
];

/** The created range's bounds, named as the payload names them. */
const Bounds = [
  ['gte', instantRule('created.gte')],
  ['lte', instantRule('created.lte')],
] as const;

const refuse = (param: string, message: string, code?: string): Refusal => ({
  ok: false,
  param,
  message,
  ...(code !== undefined && { code }),
});

/** The first parameter that breaks its rule, as the refusal naming it. */
function firstProblem(p: Record<string, unknown>): Refusal | undefined {
  for (const [param, rule] of Rules) {
    const problem = p[param] === undefined ? undefined : rule(p[param], p);
    if (problem !== undefined) return refuse(param, problem.message, problem.code);
  }
  if (p.created === undefined) return undefined;
  const created = p.created as Record<string, unknown> | null;
  if (typeof created !== 'object' || created === null || Array.isArray(created)) {
    return refuse('created', 'created must be an object with gte and/or lte.');
  }
  for (const [bound, rule] of Bounds) {
    const problem = created[bound] === undefined ? undefined : rule(created[bound], created);
    if (problem !== undefined) return refuse(`created.${bound}`, problem.message, problem.code);
  }
  return undefined;
}

/**
 * events.list parameters, checked again here with the gateway's rules: the gateway is not the
 * only possible sender on a request topic.
 */
export function parseListEvents(
  payload: Record<string, unknown>,
): { ok: true; value: ListEventsRequest } | Refusal {
  const problem = firstProblem(payload);
  if (problem !== undefined) return problem;
  const created = (payload.created ?? {}) as Record<string, unknown>;
  const createdGte = instantOf(created.gte);
  const createdLte = instantOf(created.lte);
  const page: ListParams = {
    limit: (payload.limit as number | undefined) ?? ListLimits.default,
    ...(payload.starting_after !== undefined && {
      starting_after: payload.starting_after as string,
    }),
    ...(payload.ending_before !== undefined && { ending_before: payload.ending_before as string }),
  };
  const filter: EventFilter = {
    ...(payload.type !== undefined && { type: payload.type as PublicEventType }),
    ...(createdGte !== undefined && { createdGte }),
    ...(createdLte !== undefined && { createdLte }),
  };
  return { ok: true, value: { page, filter } };
}
