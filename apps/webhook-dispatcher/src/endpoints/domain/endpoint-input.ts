import {
  MetadataLimits,
  PublicEventTypes,
  WEBHOOK_ALL_EVENTS,
  WebhookDeliveryStatuses,
  WebhookEndpointStatuses,
  WebhookLimits,
  type ListParams,
  type Metadata,
  type WebhookDeliveryStatus,
  type WebhookEndpointStatus,
  type WebhookEventSelector,
  characterCount,
} from '@finfusion/contracts';

// The gateway validates every body with its DTOs; these checks repeat that defensively, because a
// request topic is a public door too (any producer on the cluster can write to it).

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

/** Syntax and scheme only; where the host leads is the SSRF guard's business. */
export function checkUrlSyntax(value: unknown, allowHttp: boolean): Checked<URL> {
  if (typeof value !== 'string' || value.length === 0) {
    return refuse('url', 'url must be a non-empty string.');
  }
  if (value.length > WebhookLimits.maxUrlLength) {
    return refuse('url', `url must be at most ${WebhookLimits.maxUrlLength} characters.`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return refuse('url', 'url must be an absolute URL, such as https://example.com/webhooks.');
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) {
    return refuse('url', 'url must use https.');
  }
  if (url.username !== '' || url.password !== '') {
    // Credentials in a URL end up in logs and proxies; deliveries are authenticated by signature.
    return refuse('url', 'url must not contain credentials; verify deliveries by their signature.');
  }
  if (url.hostname === '') return refuse('url', 'url must name a host.');
  return accept(url);
}

export function checkEvents(value: unknown): Checked<WebhookEventSelector[]> {
  if (!Array.isArray(value) || value.length === 0) {
    return refuse('events', `events must be a non-empty list of event types, or ['*'].`);
  }
  const known: readonly string[] = PublicEventTypes;
  const selected: WebhookEventSelector[] = [];
  const items: readonly unknown[] = value;
  for (const [index, item] of items.entries()) {
    if (typeof item !== 'string' || (item !== WEBHOOK_ALL_EVENTS && !known.includes(item))) {
      return refuse(
        `events.${index}`,
        `Unknown event type ${JSON.stringify(item)}. Use ${PublicEventTypes.join(', ')}, or '*'.`,
      );
    }
    const selector = item as WebhookEventSelector;
    if (!selected.includes(selector)) selected.push(selector);
  }
  if (selected.includes(WEBHOOK_ALL_EVENTS) && selected.length > 1) {
    return refuse('events', `'*' already selects every event type; list it alone.`);
  }
  return accept(selected);
}

// Limits count characters as the gateway and the event schemas do: code points, not UTF-16 units.

export function checkMetadata(value: unknown): Checked<Metadata> {
  if (!isRecord(value)) return refuse('metadata', 'metadata must be an object of strings.');
  const entries = Object.entries(value);
  if (entries.length > MetadataLimits.maxKeys) {
    return refuse('metadata', `metadata can have at most ${MetadataLimits.maxKeys} keys.`);
  }
  for (const [key, item] of entries) {
    if (key.length === 0 || characterCount(key) > MetadataLimits.maxKeyLength) {
      return refuse(
        `metadata.${key}`,
        `metadata keys must be 1 to ${MetadataLimits.maxKeyLength} characters.`,
      );
    }
    if (typeof item !== 'string' || characterCount(item) > MetadataLimits.maxValueLength) {
      return refuse(
        `metadata.${key}`,
        `metadata values must be strings of at most ${MetadataLimits.maxValueLength} characters.`,
      );
    }
  }
  return accept(value as Metadata);
}

export function checkStatus(value: unknown): Checked<WebhookEndpointStatus> {
  const statuses: readonly unknown[] = WebhookEndpointStatuses;
  return statuses.includes(value)
    ? accept(value as WebhookEndpointStatus)
    : refuse('status', `status must be one of ${WebhookEndpointStatuses.join(', ')}.`);
}

export function checkOverlapSeconds(value: unknown, fallback: number): Checked<number> {
  if (value === undefined || value === null) return accept(fallback);
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 0 ||
    value > WebhookLimits.maxOverlapSeconds
  ) {
    return refuse(
      'overlap_seconds',
      `overlap_seconds must be a whole number from 0 to ${WebhookLimits.maxOverlapSeconds}.`,
    );
  }
  return accept(value);
}

export function checkOutcome(value: unknown): Checked<WebhookDeliveryStatus | undefined> {
  if (value === undefined || value === null) return accept(undefined);
  const statuses: readonly unknown[] = WebhookDeliveryStatuses;
  return statuses.includes(value)
    ? accept(value as WebhookDeliveryStatus)
    : refuse('outcome', `outcome must be one of ${WebhookDeliveryStatuses.join(', ')}.`);
}

export function checkListParams(payload: Record<string, unknown>): Checked<ListParams> {
  const { limit = 10, starting_after: startingAfter, ending_before: endingBefore } = payload;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 100) {
    return refuse('limit', 'limit must be a whole number from 1 to 100.');
  }
  if (startingAfter !== undefined && endingBefore !== undefined) {
    return refuse('ending_before', 'Give starting_after or ending_before, not both.');
  }
  for (const [param, cursor] of [
    ['starting_after', startingAfter],
    ['ending_before', endingBefore],
  ] as const) {
    if (cursor !== undefined && (typeof cursor !== 'string' || cursor.length === 0)) {
      return refuse(param, `${param} must be an id.`);
    }
  }
  return accept({
    limit,
    ...(typeof startingAfter === 'string' && { starting_after: startingAfter }),
    ...(typeof endingBefore === 'string' && { ending_before: endingBefore }),
  });
}
