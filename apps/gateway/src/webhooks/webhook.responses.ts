import { ApiProperty } from '@nestjs/swagger';
import {
  PublicEventTypes,
  WebhookDeliveryStatuses,
  WebhookEndpointStatuses,
  WebhookEventSelectors,
  type Metadata,
  type PublicEventType,
  type WebhookDeliveryStatus,
  type WebhookDisabledReason,
  type WebhookEndpointStatus,
  type WebhookEventSelector,
} from '@finfusion/contracts';

// Response schemas for the OpenAPI document; the wire types are libs/contracts' WebhookEndpoint
// and WebhookDelivery.

const disabledReasons: WebhookDisabledReason[] = [
  'requested',
  'endpoint_gone',
  'continuous_failures',
];

const endpointId = 'whk_3kTq8Zr2Lm5Vx9Nb1Hc7Pw';
const deliveryId = 'whd_9Fp2Lx7Qm4Rt1Zc8Vb3Nk';

export class WebhookEndpointResponse {
  @ApiProperty({ example: endpointId })
  id!: string;

  @ApiProperty({ enum: ['webhook_endpoint'], example: 'webhook_endpoint' })
  object!: 'webhook_endpoint';

  @ApiProperty({ example: 'https://example.com/webhooks' })
  url!: string;

  @ApiProperty({
    type: String,
    isArray: true,
    enum: [...WebhookEventSelectors],
    example: ['payment.succeeded', 'payment.failed'],
  })
  events!: WebhookEventSelector[];

  @ApiProperty({ enum: WebhookEndpointStatuses, example: 'active' })
  status!: WebhookEndpointStatus;

  @ApiProperty({
    enum: disabledReasons,
    nullable: true,
    description:
      'Why the endpoint is disabled: you asked (`requested`), it answered 410 Gone ' +
      '(`endpoint_gone`), or every attempt failed for days (`continuous_failures`). Null while active.',
    example: null,
  })
  disabled_reason!: WebhookDisabledReason | null;

  @ApiProperty({ format: 'date-time', example: '2026-03-15T10:30:00.000Z' })
  created_at!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { environment: 'production' },
  })
  metadata!: Metadata;
}

export class WebhookEndpointWithSecretResponse extends WebhookEndpointResponse {
  @ApiProperty({
    description:
      'The signing secret (Standard Webhooks format). Shown only when the endpoint is created ' +
      'and when its secret is rotated: keep it.',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  })
  secret!: string;
}

export class WebhookEndpointListResponse {
  @ApiProperty({ enum: ['list'], example: 'list' })
  object!: 'list';

  @ApiProperty({ type: [WebhookEndpointResponse] })
  data!: WebhookEndpointResponse[];

  @ApiProperty({ description: 'Whether more endpoints follow this page.', example: false })
  has_more!: boolean;
}

export class DeletedWebhookEndpointResponse {
  @ApiProperty({ example: endpointId })
  id!: string;

  @ApiProperty({ enum: ['webhook_endpoint'], example: 'webhook_endpoint' })
  object!: 'webhook_endpoint';

  @ApiProperty({ enum: [true], example: true })
  deleted!: true;
}

export class WebhookDeliveryAttemptResponse {
  @ApiProperty({ description: '1, 2, 3… within its delivery.', example: 1 })
  attempt!: number;

  @ApiProperty({ format: 'date-time', example: '2026-03-15T10:30:00.120Z' })
  attempted_at!: string;

  @ApiProperty({ enum: ['succeeded', 'failed'], example: 'failed' })
  outcome!: 'succeeded' | 'failed';

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'The status your endpoint answered; null when no response came.',
    example: 503,
  })
  http_status!: number | null;

  @ApiProperty({ type: 'integer', example: 84 })
  duration_ms!: number;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why the attempt failed (HTTP 503, a timeout, a refused address…).',
    example: 'HTTP 503',
  })
  error!: string | null;
}

export class WebhookDeliveryResponse {
  @ApiProperty({ example: deliveryId })
  id!: string;

  @ApiProperty({ enum: ['webhook_delivery'], example: 'webhook_delivery' })
  object!: 'webhook_delivery';

  @ApiProperty({ example: endpointId })
  endpoint_id!: string;

  @ApiProperty({
    description: 'The event delivered; also the `webhook-id` header of every attempt.',
    example: 'evt_2Wq7Lk9Zx4Tm1Rb8Nc3Vp',
  })
  event_id!: string;

  @ApiProperty({ enum: PublicEventTypes, example: 'payment.succeeded' })
  event_type!: PublicEventType;

  @ApiProperty({
    enum: WebhookDeliveryStatuses,
    description: '`pending` while attempts remain, then `succeeded` or `failed`.',
    example: 'succeeded',
  })
  status!: WebhookDeliveryStatus;

  @ApiProperty({ description: 'Attempts made so far.', example: 2 })
  attempt!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  attempted_at!: string | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 200 })
  http_status!: number | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 42 })
  duration_ms!: number | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  error!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the next attempt is due, while the delivery is pending.',
    example: null,
  })
  next_attempt_at!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-03-15T10:30:00.000Z' })
  created_at!: string;

  @ApiProperty({
    type: [WebhookDeliveryAttemptResponse],
    description: 'Every attempt, oldest first.',
  })
  attempts!: WebhookDeliveryAttemptResponse[];
}

export class WebhookDeliveryListResponse {
  @ApiProperty({ enum: ['list'], example: 'list' })
  object!: 'list';

  @ApiProperty({ type: [WebhookDeliveryResponse] })
  data!: WebhookDeliveryResponse[];

  @ApiProperty({ description: 'Whether more deliveries follow this page.', example: false })
  has_more!: boolean;
}
