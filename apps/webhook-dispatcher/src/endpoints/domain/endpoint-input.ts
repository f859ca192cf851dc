import {
  cursorRule,
  limitRule,
  ListLimits,
  oneCursorRule,
  paramOf,
  webhookUrlRule,
  WebhookRules,
  type FieldRule,
  type ListParams,
  type Metadata,
  type WebhookDeliveryStatus,
  type WebhookEndpointStatus,
  type WebhookEventSelector,
} from '@finfusion/contracts';

// The gateway validates every body with its DTOs; these checks apply the same rules (libs/contracts)
// again, because a request topic is a public door too (any producer on the cluster can write to it).

export type Checked<T> = { ok: true; value: T } | Refusal;

export interface Refusal {
  ok: false;
  param: string;
  message: string;
  /** Defaults to `parameter_invalid`. */
  code?: string;
}

const accept = <T>(value: T): Checked<T> => ({ ok: true, value });
const refuse = (param: string, message: string, code?: string): Refusal => ({
  ok: false,
  param,
  message,
  ...(code !== undefined && { code }),
});

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The payload as an object, or a refusal naming the whole body. */
export const checkPayload = (value: unknown): Checked<Record<string, unknown>> =>
  isRecord(value) ? accept(value) : refuse('body', 'The request body must be a JSON object.');

export function checkId(value: unknown, param = 'id'): Checked<string> {
  if (typeof value !== 'string' || value.length === 0 || value.length > 100) {
    return refuse(param, `${param} must be a non-empty string.`);
  }
  return accept(value);
}

/** A field's value checked by its rule (libs/contracts), as the gateway checks it. */
function follows<T>(param: string, rule: FieldRule, value: unknown): Checked<T> {
  const problem = rule(value, {});
  return problem === undefined
    ? accept(value as T)
    : refuse(paramOf(param, problem), problem.message, problem.code);
}

/** Syntax and scheme only; where the host leads is the SSRF guard's business. */
export function checkUrlSyntax(value: unknown, allowHttp: boolean): Checked<URL> {
  const checked = follows<string>('url', webhookUrlRule({ allowHttp }), value);
  return checked.ok ? accept(new URL(checked.value)) : checked;
}

/** The event types to deliver, each once. */
export function checkEvents(value: unknown): Checked<WebhookEventSelector[]> {
  const checked = follows<WebhookEventSelector[]>('events', WebhookRules.events, value);
  return checked.ok ? accept([...new Set(checked.value)]) : checked;
}

export const checkMetadata = (value: unknown): Checked<Metadata> =>
  follows('metadata', WebhookRules.metadata, value);

export const checkStatus = (value: unknown): Checked<WebhookEndpointStatus> =>
  follows('status', WebhookRules.status, value);

export function checkOverlapSeconds(value: unknown, fallback: number): Checked<number> {
  if (value === undefined || value === null) return accept(fallback);
  return follows('overlap_seconds', WebhookRules.overlap_seconds, value);
}

export function checkOutcome(value: unknown): Checked<WebhookDeliveryStatus | undefined> {
  if (value === undefined || value === null) return accept(undefined);
  return follows('outcome', WebhookRules.outcome, value);
}

/** The list parameters of the payload, in the order the gateway checks them. */
const ListRules: readonly [keyof ListParams, FieldRule][] = [
  ['limit', limitRule],
  ['starting_after', cursorRule('starting_after')],
  ['ending_before', cursorRule('ending_before')],
  ['ending_before', oneCursorRule],
];

export function checkListParams(payload: Record<string, unknown>): Checked<ListParams> {
  for (const [param, rule] of ListRules) {
    const problem = payload[param] === undefined ? undefined : rule(payload[param], payload);
    if (problem !== undefined) return refuse(param, problem.message, problem.code);
    // An empty cursor names no delivery or endpoint; the gateway passes it on, this answers it.
    if (payload[param] === '') return refuse(param, `${param} must be an id.`);
  }
  const {
    limit = ListLimits.default,
    starting_after: startingAfter,
    ending_before: endingBefore,
  } = payload;
  return accept({
    limit: limit as number,
    ...(typeof startingAfter === 'string' && { starting_after: startingAfter }),
    ...(typeof endingBefore === 'string' && { ending_before: endingBefore }),
  });
}
