import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import {
  WebhookDeliveryStatuses,
  WebhookEndpointStatuses,
  WebhookEventSelectors,
  WebhookLimits,
  type Metadata,
  type WebhookDeliveryStatus,
  type WebhookEndpointStatus,
  type WebhookEventSelector,
} from '@finfusion/contracts';
import {
  IsMetadata,
  METADATA_MERGE_NOTE,
  metadataApiSchema,
} from '../validation/is-metadata.validator';
import { ListQuery } from '../validation/list-query.dto';
import { IsOptionalNotNull } from '../validation/validators';
import { IsWebhookEvents, IsWebhookUrl } from './webhook.validators';

const urlSchema = {
  type: String,
  format: 'uri',
  maxLength: WebhookLimits.maxUrlLength,
  description:
    'Where deliveries are POSTed: an https URL whose host resolves to public addresses only. ' +
    'Hosts that resolve to loopback, private, link-local or other internal addresses are refused.',
  example: 'https://example.com/webhooks',
} as const;

const eventsSchema: ApiPropertyOptions = {
  type: String,
  isArray: true,
  enum: [...WebhookEventSelectors],
  minItems: 1,
  maxItems: WebhookEventSelectors.length,
  description: "The event types to receive, or ['*'] for every type, including future ones.",
  example: ['payment.succeeded', 'payment.failed'],
};

const metadataSchema = metadataApiSchema({ environment: 'production' });

export class CreateWebhookRequest {
  @ApiProperty(urlSchema)
  @IsString()
  @IsWebhookUrl()
  url!: string;

  @ApiProperty(eventsSchema)
  @IsWebhookEvents()
  events!: WebhookEventSelector[];

  @ApiPropertyOptional(metadataSchema)
  @IsOptionalNotNull()
  @IsMetadata()
  metadata?: Metadata;
}

/** Only the fields given change; metadata keys given replace those keys, "" removes one. */
export class UpdateWebhookRequest {
  @ApiPropertyOptional(urlSchema)
  @IsOptionalNotNull()
  @IsString()
  @IsWebhookUrl()
  url?: string;

  @ApiPropertyOptional(eventsSchema)
  @IsOptionalNotNull()
  @IsWebhookEvents()
  events?: WebhookEventSelector[];

  @ApiPropertyOptional({
    enum: WebhookEndpointStatuses,
    description:
      '`disabled` stops deliveries (pending ones fail); `active` enables the endpoint again and ' +
      'forgets its past failures.',
    example: 'disabled',
  })
  @IsOptionalNotNull()
  @IsIn(WebhookEndpointStatuses, {
    message: `status must be one of ${WebhookEndpointStatuses.join(', ')}`,
  })
  status?: WebhookEndpointStatus;

  @ApiPropertyOptional({
    ...metadataApiSchema({ environment: 'production' }, METADATA_MERGE_NOTE),
  })
  @IsOptionalNotNull()
  @IsMetadata()
  metadata?: Metadata;
}

export class RotateWebhookSecretRequest {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: WebhookLimits.maxOverlapSeconds,
    description:
      'How long the current secret keeps signing beside the new one, in seconds, so receivers ' +
      'can switch without missing a delivery. 0 stops it at once. Default: 24 hours.',
    example: 3600,
  })
  @IsOptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(WebhookLimits.maxOverlapSeconds)
  overlap_seconds?: number;
}

export class ListWebhookDeliveriesQuery extends ListQuery {
  @ApiPropertyOptional({
    enum: WebhookDeliveryStatuses,
    description: 'Only deliveries in this state.',
  })
  @IsOptional()
  @IsIn(WebhookDeliveryStatuses, {
    message: `outcome must be one of ${WebhookDeliveryStatuses.join(', ')}`,
  })
  outcome?: WebhookDeliveryStatus;
}
