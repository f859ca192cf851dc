import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import {
  webhookUrlRule,
  WebhookDeliveryStatuses,
  WebhookEndpointStatuses,
  WebhookEventSelectors,
  WebhookLimits,
  WebhookRules,
  type Metadata,
  type WebhookDeliveryStatus,
  type WebhookEndpointStatus,
  type WebhookEventSelector,
} from '@finfusion/contracts';
import { FollowsRule } from '../validation/follows-rule.decorator';
import { ListQuery } from '../validation/list-query.dto';
import { METADATA_MERGE_NOTE, metadataApiSchema } from '../validation/metadata-api-schema';
import { IsOptionalNotNull } from '../validation/validators';

const Follows = (field: keyof typeof WebhookRules): PropertyDecorator =>
  FollowsRule(field, WebhookRules[field]);

// Whether http is allowed, and where the host leads (the SSRF guard), is the dispatcher's decision,
// which it answers as a 400 naming `url`: the gateway checks the URL's shape only.
const IsWebhookUrl = (): PropertyDecorator =>
  FollowsRule('url', webhookUrlRule({ allowHttp: true }));

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
  @IsWebhookUrl()
  url!: string;

  @ApiProperty(eventsSchema)
  @Follows('events')
  events!: WebhookEventSelector[];

  @ApiPropertyOptional(metadataSchema)
  @IsOptionalNotNull()
  @Follows('metadata')
  metadata?: Metadata;
}

/** Only the fields given change; metadata keys given replace those keys, "" removes one. */
export class UpdateWebhookRequest {
  @ApiPropertyOptional(urlSchema)
  @IsOptionalNotNull()
  @IsWebhookUrl()
  url?: string;

  @ApiPropertyOptional(eventsSchema)
  @IsOptionalNotNull()
  @Follows('events')
  events?: WebhookEventSelector[];

  @ApiPropertyOptional({
    enum: WebhookEndpointStatuses,
    description:
      '`disabled` stops deliveries (pending ones fail); `active` enables the endpoint again and ' +
      'forgets its past failures.',
    example: 'disabled',
  })
  @IsOptionalNotNull()
  @Follows('status')
  status?: WebhookEndpointStatus;

  @ApiPropertyOptional({
    ...metadataApiSchema({ environment: 'production' }, METADATA_MERGE_NOTE),
  })
  @IsOptionalNotNull()
  @Follows('metadata')
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
  @Follows('overlap_seconds')
  overlap_seconds?: number;
}

export class ListWebhookDeliveriesQuery extends ListQuery {
  @ApiPropertyOptional({
    enum: WebhookDeliveryStatuses,
    description: 'Only deliveries in this state.',
  })
  @IsOptional()
  @Follows('outcome')
  outcome?: WebhookDeliveryStatus;
}
