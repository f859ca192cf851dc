import {
  mergedMetadataProblem,
  mergeMetadata,
  WEBHOOK_ALL_EVENTS,
  type Metadata,
  type PublicEventType,
  type WebhookDisabledReason,
  type WebhookEndpoint,
  type WebhookEndpointStatus,
  type WebhookEventSelector,
} from '@finfusion/contracts';

/** An endpoint row as the service keeps it: the API's fields plus what only the service needs. */
export interface EndpointState {
  id: string;
  merchant_id: string;
  url: string;
  events: WebhookEventSelector[];
  status: WebhookEndpointStatus;
  disabled_reason: WebhookDisabledReason | null;
  metadata: Metadata;
  /** Start of the current run of failed attempts; null after any success. */
  failing_since: Date | null;
  idempotency_key: string | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

export interface CreateEndpoint {
  id: string;
  merchantId: string;
  url: string;
  events: WebhookEventSelector[];
  metadata?: Metadata;
  idempotencyKey?: string;
}

export interface EndpointPatch {
  url?: string;
  events?: WebhookEventSelector[];
  status?: WebhookEndpointStatus;
  metadata?: Metadata;
}

export type UpdateOutcome =
  | { kind: 'changed'; state: EndpointState; disabled: boolean }
  | { kind: 'unchanged'; state: EndpointState }
  | { kind: 'rejected'; param: string; message: string };

/** The endpoint as the API returns it (never with its secret). */
export const toWebhookEndpoint = (state: EndpointState): WebhookEndpoint => ({
  id: state.id,
  object: 'webhook_endpoint',
  url: state.url,
  events: [...state.events],
  status: state.status,
  disabled_reason: state.disabled_reason,
  created_at: state.created_at.toISOString(),
  metadata: { ...state.metadata },
});

/** Whether a merchant with `live` endpoints (deleted ones not counted) may create another. */
export const mayCreateEndpoint = (live: number, maxPerMerchant: number): boolean =>
  live < maxPerMerchant;

/** Whether an endpoint subscribed to `events` receives an event of `type`. */
export const subscribesTo = (
  events: readonly WebhookEventSelector[],
  type: PublicEventType,
): boolean => events.includes(WEBHOOK_ALL_EVENTS) || events.includes(type);

export function createEndpoint(command: CreateEndpoint, now: Date): EndpointState {
  return {
    id: command.id,
    merchant_id: command.merchantId,
    url: command.url,
    events: [...command.events],
    status: 'active',
    disabled_reason: null,
    metadata: mergeMetadata({}, command.metadata ?? {}),
    failing_since: null,
    idempotency_key: command.idempotencyKey ?? null,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
}

export function updateEndpoint(
  current: EndpointState,
  patch: EndpointPatch,
  now: Date,
): UpdateOutcome {
  const metadata = mergeMetadata(current.metadata, patch.metadata ?? {});
  // The request's own keys were checked; the merged whole is checked here.
  const tooMany = mergedMetadataProblem(metadata, 'webhook endpoint');
  if (tooMany !== undefined) return { kind: 'rejected', param: 'metadata', message: tooMany };
  const next: EndpointState = {
    ...current,
    url: patch.url ?? current.url,
    events: patch.events ? [...patch.events] : current.events,
    metadata,
  };
  if (patch.status === 'active' && current.status === 'disabled') {
    // Re-enabling forgets the failures that led to the disabling.
    next.status = 'active';
    next.disabled_reason = null;
    next.failing_since = null;
  } else if (patch.status === 'disabled' && current.status === 'active') {
    next.status = 'disabled';
    next.disabled_reason = 'requested';
  }
  if (sameEndpoint(next, current)) return { kind: 'unchanged', state: current };
  return {
    kind: 'changed',
    state: { ...next, updated_at: now },
    disabled: next.status === 'disabled' && current.status === 'active',
  };
}

function sameEndpoint(a: EndpointState, b: EndpointState): boolean {
  const keys = Object.keys(a.metadata);
  return (
    a.url === b.url &&
    a.status === b.status &&
    a.events.length === b.events.length &&
    a.events.every((event, index) => event === b.events[index]) &&
    keys.length === Object.keys(b.metadata).length &&
    keys.every((key) => a.metadata[key] === b.metadata[key])
  );
}
