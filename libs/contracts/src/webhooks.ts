// The webhooks request/reply contract between the gateway and the webhook dispatcher.
import { PublicEventTypes, type PublicEventType } from './events';
import type { Deleted, ListPage, ListParams } from './messages';
import type { Metadata } from './metadata';

/** `*` subscribes an endpoint to every public event type, present and future. */
export const WEBHOOK_ALL_EVENTS = '*';
export type WebhookEventSelector = PublicEventType | typeof WEBHOOK_ALL_EVENTS;
export const WebhookEventSelectors: readonly WebhookEventSelector[] = [
  ...PublicEventTypes,
  WEBHOOK_ALL_EVENTS,
];

export const WebhookEndpointStatuses = ['active', 'disabled'] as const;
export type WebhookEndpointStatus = (typeof WebhookEndpointStatuses)[number];

/**
 * Why an endpoint is disabled: the merchant asked for it, the endpoint answered 410 Gone, or
 * every attempt failed for longer than the dispatcher tolerates.
 */
export type WebhookDisabledReason = 'requested' | 'endpoint_gone' | 'continuous_failures';

export const WebhookDeliveryStatuses = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WebhookDeliveryStatuses)[number];

export const WebhookLimits = {
  maxUrlLength: 2048,
  /** Longest a rotated-out secret may keep signing beside the new one: 7 days. */
  maxOverlapSeconds: 7 * 24 * 3600,
} as const;

/** A webhook endpoint as the API returns it. */
export interface WebhookEndpoint {
  id: string;
  object: 'webhook_endpoint';
  url: string;
  events: WebhookEventSelector[];
  status: WebhookEndpointStatus;
  /** Null while active. */
  disabled_reason: WebhookDisabledReason | null;
  created_at: string;
  metadata: Metadata;
}

/** The create and rotate-secret replies: the only ones that carry the signing secret. */
export interface WebhookEndpointWithSecret extends WebhookEndpoint {
  /** `whsec_` + base64 of 32 random bytes: the Standard Webhooks secret format. */
  secret: string;
}

export type WebhookEndpointList = ListPage<WebhookEndpoint>;

export interface DeletedWebhookEndpoint extends Deleted {
  object: 'webhook_endpoint';
}

/** `webhooks.create` */
export interface CreateWebhookEndpointPayload {
  url: string;
  events: WebhookEventSelector[];
  metadata?: Metadata;
}

/** `webhooks.get` */
export interface GetWebhookEndpointPayload {
  id: string;
}

/** `webhooks.list`: the merchant's endpoints, newest first. */
export type ListWebhookEndpointsPayload = ListParams;

/** `webhooks.update`: only the fields given change. */
export interface UpdateWebhookEndpointPayload {
  id: string;
  url?: string;
  events?: WebhookEventSelector[];
  /** `active` re-enables an endpoint (and forgets its failures); `disabled` stops deliveries. */
  status?: WebhookEndpointStatus;
  /** Keys given replace those keys; a key set to "" is removed (as for customers). */
  metadata?: Metadata;
}

/** `webhooks.delete` */
export interface DeleteWebhookEndpointPayload {
  id: string;
}

/** `webhooks.rotate-secret` */
export interface RotateWebhookSecretPayload {
  id: string;
  /**
   * How long the current secret keeps signing beside the new one, 0 to stop at once. Defaults
   * to the dispatcher's WEBHOOK_SECRET_OVERLAP_SECONDS (24 h).
   */
  overlap_seconds?: number;
}

/** One HTTP attempt of a delivery. */
export interface WebhookDeliveryAttempt {
  /** 1, 2, 3… within its delivery. */
  attempt: number;
  attempted_at: string;
  outcome: 'succeeded' | 'failed';
  /** Null when no response came (timeout, connection error, refused address). */
  http_status: number | null;
  duration_ms: number;
  error: string | null;
}

/**
 * One event for one endpoint: its state, the latest attempt's result flattened onto it, and the
 * whole attempt log.
 */
export interface WebhookDelivery {
  id: string;
  object: 'webhook_delivery';
  endpoint_id: string;
  event_id: string;
  event_type: PublicEventType;
  status: WebhookDeliveryStatus;
  /** Attempts made so far; 0 until the first attempt ends. */
  attempt: number;
  attempted_at: string | null;
  http_status: number | null;
  duration_ms: number | null;
  error: string | null;
  /** When the next attempt is due, while the delivery is pending. */
  next_attempt_at: string | null;
  created_at: string;
  attempts: WebhookDeliveryAttempt[];
}

export type WebhookDeliveryList = ListPage<WebhookDelivery>;

/** `webhooks.deliveries`: one endpoint's deliveries, newest first. */
export interface ListWebhookDeliveriesPayload extends ListParams {
  endpoint_id: string;
  /** Only deliveries in this state. */
  outcome?: WebhookDeliveryStatus;
}

/** `webhooks.resend`: one more attempt of a delivery, right away, whatever its state. */
export interface ResendWebhookDeliveryPayload {
  endpoint_id: string;
  delivery_id: string;
}
