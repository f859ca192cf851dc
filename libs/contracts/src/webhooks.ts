// The webhooks request/reply contract between the gateway and the webhook dispatcher.
import type { FromSchema } from 'json-schema-to-ts';
import { PublicEventTypes } from './events';
import type { ListParams } from './messages';
import type { Metadata } from './metadata';
import type {
  deletedWebhookEndpointSchema,
  webhookDeliveryAttemptSchema,
  webhookDeliveryListSchema,
  webhookDeliverySchema,
  webhookEndpointListSchema,
  webhookEndpointSchema,
  webhookEndpointWithSecretSchema,
} from './schemas/webhook.schema';

/** `*` subscribes an endpoint to every public event type, present and future. */
export const WEBHOOK_ALL_EVENTS = '*';
export const WebhookEventSelectors = [...PublicEventTypes, WEBHOOK_ALL_EVENTS] as const;
export type WebhookEventSelector = (typeof WebhookEventSelectors)[number];

export const WebhookEndpointStatuses = ['active', 'disabled'] as const;
export type WebhookEndpointStatus = (typeof WebhookEndpointStatuses)[number];

/**
 * Why an endpoint is disabled: the merchant asked for it, the endpoint answered 410 Gone, or
 * every attempt failed for longer than the dispatcher tolerates.
 */
export const WebhookDisabledReasons = [
  'requested',
  'endpoint_gone',
  'continuous_failures',
] as const;
export type WebhookDisabledReason = (typeof WebhookDisabledReasons)[number];

export const WebhookDeliveryStatuses = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WebhookDeliveryStatuses)[number];

export const WebhookLimits = {
  maxUrlLength: 2048,
  /** Longest a rotated-out secret may keep signing beside the new one: 7 days. */
  maxOverlapSeconds: 7 * 24 * 3600,
} as const;

/** A webhook endpoint as the API returns it (`webhookEndpointSchema`). */
export type WebhookEndpoint = FromSchema<typeof webhookEndpointSchema>;

/** The create and rotate-secret replies: the only ones that carry the signing secret. */
export type WebhookEndpointWithSecret = FromSchema<typeof webhookEndpointWithSecretSchema>;

export type WebhookEndpointList = FromSchema<typeof webhookEndpointListSchema>;

export type DeletedWebhookEndpoint = FromSchema<typeof deletedWebhookEndpointSchema>;

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

/** One HTTP attempt of a delivery (`webhookDeliveryAttemptSchema`). */
export type WebhookDeliveryAttempt = FromSchema<typeof webhookDeliveryAttemptSchema>;

/** One event for one endpoint, with its attempts (`webhookDeliverySchema`). */
export type WebhookDelivery = FromSchema<typeof webhookDeliverySchema>;

export type WebhookDeliveryList = FromSchema<typeof webhookDeliveryListSchema>;

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
