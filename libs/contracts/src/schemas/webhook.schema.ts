import { PublicEventTypes } from '../events';
import { IdPrefixes } from '../ids';
import {
  WebhookDeliveryStatuses,
  WebhookDisabledReasons,
  WebhookEndpointStatuses,
  WebhookEventSelectors,
  WebhookLimits,
} from '../webhooks';
import {
  deletedSchema,
  idSchema,
  listSchema,
  metadataLike,
  objectTag,
  timestampSchema,
  type SchemaOf,
} from './common.schema';

const endpointId = 'whk_3kTq8Zr2Lm5Vx9Nb1Hc7Pw';
const deliveryId = 'whd_9Fp2Lx7Qm4Rt1Zc8Vb3Nk';

/** A webhook endpoint as the API returns it: never with its secret, but on create and rotate. */
export const webhookEndpointSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'object',
    'url',
    'events',
    'status',
    'disabled_reason',
    'created_at',
    'metadata',
  ],
  properties: {
    id: idSchema(IdPrefixes.webhookEndpoint, endpointId),
    object: objectTag('webhook_endpoint'),
    url: {
      type: 'string',
      maxLength: WebhookLimits.maxUrlLength,
      examples: ['https://example.com/webhooks'],
    },
    events: {
      type: 'array',
      items: { type: 'string', enum: WebhookEventSelectors },
      examples: [['payment.succeeded', 'payment.failed']],
    },
    status: { type: 'string', enum: WebhookEndpointStatuses, examples: ['active'] },
    disabled_reason: {
      anyOf: [{ type: 'string', enum: WebhookDisabledReasons }, { type: 'null' }],
      description:
        'Why the endpoint is disabled: you asked (`requested`), it answered 410 Gone ' +
        '(`endpoint_gone`), or every attempt failed for days (`continuous_failures`). Null while active.',
      examples: [null],
    },
    created_at: { ...timestampSchema, examples: ['2026-03-15T10:30:00.000Z'] },
    metadata: metadataLike({ environment: 'production' }),
  },
} as const satisfies SchemaOf;

/** The create and rotate-secret replies: the only ones that carry the signing secret. */
export const webhookEndpointWithSecretSchema = {
  ...webhookEndpointSchema,
  required: [...webhookEndpointSchema.required, 'secret'],
  properties: {
    ...webhookEndpointSchema.properties,
    secret: {
      type: 'string',
      pattern: '^whsec_',
      description:
        'The signing secret (Standard Webhooks format). Shown only when the endpoint is created ' +
        'and when its secret is rotated: keep it.',
      examples: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    },
  },
} as const satisfies SchemaOf;

export const webhookEndpointListSchema = listSchema(
  webhookEndpointSchema,
  'Whether more endpoints follow this page.',
);

export const deletedWebhookEndpointSchema = deletedSchema(
  'webhook_endpoint',
  IdPrefixes.webhookEndpoint,
  endpointId,
);

/** One HTTP attempt of a delivery. */
export const webhookDeliveryAttemptSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['attempt', 'attempted_at', 'outcome', 'http_status', 'duration_ms', 'error'],
  properties: {
    attempt: {
      type: 'integer',
      minimum: 1,
      description: '1, 2, 3… within its delivery.',
      examples: [1],
    },
    attempted_at: { ...timestampSchema, examples: ['2026-03-15T10:30:00.120Z'] },
    outcome: { type: 'string', enum: ['succeeded', 'failed'], examples: ['failed'] },
    http_status: {
      type: ['integer', 'null'],
      description: 'The status your endpoint answered; null when no response came.',
      examples: [503],
    },
    duration_ms: { type: 'integer', minimum: 0, examples: [84] },
    error: {
      type: ['string', 'null'],
      description: 'Why the attempt failed (HTTP 503, a timeout, a refused address…).',
      examples: ['HTTP 503'],
    },
  },
} as const satisfies SchemaOf;

/**
 * One event for one endpoint: its state, the latest attempt's result flattened onto it, and the
 * whole attempt log.
 */
export const webhookDeliverySchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'object',
    'endpoint_id',
    'event_id',
    'event_type',
    'status',
    'attempt',
    'attempted_at',
    'http_status',
    'duration_ms',
    'error',
    'next_attempt_at',
    'created_at',
    'attempts',
  ],
  properties: {
    id: idSchema(IdPrefixes.webhookDelivery, deliveryId),
    object: objectTag('webhook_delivery'),
    endpoint_id: idSchema(IdPrefixes.webhookEndpoint, endpointId),
    event_id: {
      ...idSchema(IdPrefixes.event, 'evt_2Wq7Lk9Zx4Tm1Rb8Nc3Vp'),
      description: 'The event delivered; also the `webhook-id` header of every attempt.',
    },
    event_type: { type: 'string', enum: PublicEventTypes, examples: ['payment.succeeded'] },
    status: {
      type: 'string',
      enum: WebhookDeliveryStatuses,
      description: '`pending` while attempts remain, then `succeeded` or `failed`.',
      examples: ['succeeded'],
    },
    attempt: {
      type: 'integer',
      minimum: 0,
      description: 'Attempts made so far; 0 until the first attempt ends.',
      examples: [2],
    },
    attempted_at: { type: ['string', 'null'], format: 'date-time', examples: [null] },
    http_status: { type: ['integer', 'null'], examples: [200] },
    duration_ms: { type: ['integer', 'null'], minimum: 0, examples: [42] },
    error: { type: ['string', 'null'], examples: [null] },
    next_attempt_at: {
      type: ['string', 'null'],
      format: 'date-time',
      description: 'When the next attempt is due, while the delivery is pending.',
      examples: [null],
    },
    created_at: { ...timestampSchema, examples: ['2026-03-15T10:30:00.000Z'] },
    attempts: {
      type: 'array',
      items: webhookDeliveryAttemptSchema,
      description: 'Every attempt, oldest first.',
    },
  },
} as const satisfies SchemaOf;

export const webhookDeliveryListSchema = listSchema(
  webhookDeliverySchema,
  'Whether more deliveries follow this page.',
);
