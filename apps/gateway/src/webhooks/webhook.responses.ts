import {
  deletedWebhookEndpointSchema,
  webhookDeliveryAttemptSchema,
  webhookDeliveryListSchema,
  webhookDeliverySchema,
  webhookEndpointListSchema,
  webhookEndpointSchema,
  webhookEndpointWithSecretSchema,
} from '@finfusion/contracts';
import { apiSchema } from '../docs/api-schema';

// The documented response bodies: the contracts' schemas of WebhookEndpoint and WebhookDelivery,
// under these names.

export const WebhookEndpointResponse = apiSchema('WebhookEndpointResponse', webhookEndpointSchema);
export const WebhookEndpointWithSecretResponse = apiSchema(
  'WebhookEndpointWithSecretResponse',
  webhookEndpointWithSecretSchema,
);
export const WebhookEndpointListResponse = apiSchema(
  'WebhookEndpointListResponse',
  webhookEndpointListSchema,
);
export const DeletedWebhookEndpointResponse = apiSchema(
  'DeletedWebhookEndpointResponse',
  deletedWebhookEndpointSchema,
);
export const WebhookDeliveryAttemptResponse = apiSchema(
  'WebhookDeliveryAttemptResponse',
  webhookDeliveryAttemptSchema,
);
export const WebhookDeliveryResponse = apiSchema('WebhookDeliveryResponse', webhookDeliverySchema);
export const WebhookDeliveryListResponse = apiSchema(
  'WebhookDeliveryListResponse',
  webhookDeliveryListSchema,
);
