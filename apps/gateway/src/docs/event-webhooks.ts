import type {
  OperationObject,
  ParameterObject,
  PathItemObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import {
  PublicEventTypes,
  PublicSchemaVersions,
  publicEventSchemas,
  schemaIdOf,
  type PublicEventType,
} from '@finfusion/contracts';
import { apiSchema, apiSchemaRef } from './api-schema';
import type { OpenApiDocument } from './openapi';

// The events a webhook endpoint receives, as OpenAPI 3.1 `webhooks`: one per public event type,
// its body the event's envelope from the contracts' schema, its headers those of Standard
// Webhooks. A new event type in the contracts appears here without a change.

const pascal = (type: string): string =>
  type
    .split(/[._]/)
    .map((word) => `${word.charAt(0).toUpperCase()}${word.slice(1)}`)
    .join('');

/** `payment.succeeded` is documented as the schema `PaymentSucceededEvent`. */
export const eventSchemaName = (type: PublicEventType): string => `${pascal(type)}Event`;

/** `payment.succeeded` is received by the operation `receivePaymentSucceeded`. */
export const webhookOperationId = (type: PublicEventType): string => `receive${pascal(type)}`;

const eventSchemas = new Map(
  PublicEventTypes.map((type) => [
    type,
    apiSchema(eventSchemaName(type), publicEventSchemas[type]),
  ]),
);

const headers: Record<string, ParameterObject> = {
  WebhookId: {
    name: 'webhook-id',
    in: 'header',
    required: true,
    description:
      "The event's id: the same on every attempt and resend of this event. Deduplicate on it.",
    schema: { type: 'string', examples: ['evt_5Rw8Hc2kQx9Lm4Tz1Vb8Np'] },
  },
  WebhookTimestamp: {
    name: 'webhook-timestamp',
    in: 'header',
    required: true,
    description:
      'Unix seconds when this attempt was signed; refuse a timestamp more than 5 minutes off.',
    schema: { type: 'string', pattern: '^[0-9]+$', examples: ['1773570601'] },
  },
  WebhookSignature: {
    name: 'webhook-signature',
    in: 'header',
    required: true,
    description:
      '`v1,` + base64 HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<raw body>` under the ' +
      "endpoint's secret (the bytes after `whsec_`, base64-decoded). During a secret rotation, " +
      'two signatures, space-separated: either verifies.',
    schema: { type: 'string', examples: ['v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4='] },
  },
};

function webhook(type: PublicEventType): PathItemObject {
  const schema = eventSchemas.get(type);
  if (schema === undefined) throw new Error(`no schema documents the event type ${type}`);
  const operation: OperationObject = {
    operationId: webhookOperationId(type),
    summary: type,
    description:
      `${String(schema.schema.description)} Sent to every active endpoint of the merchant ` +
      `subscribed to \`${type}\` (or \`*\`), signed per Standard Webhooks: verify the signature ` +
      'on the raw body before parsing it. The same envelope is published on Kafka; its JSON ' +
      `Schema: ${schemaIdOf(type, PublicSchemaVersions[type])}.`,
    tags: ['Webhook events'],
    parameters: Object.keys(headers).map((name) => ({ $ref: `#/components/parameters/${name}` })),
    requestBody: {
      required: true,
      content: { 'application/json': { schema: apiSchemaRef(schema) } },
    },
    responses: {
      '200': {
        description:
          'Any 2xx within the timeout (10 s by default) acknowledges the delivery. Answer ' +
          'quickly and work afterwards.',
      },
      '410': {
        description:
          'Gone: disables the endpoint; nothing more is sent to it until its status is set ' +
          'active again.',
      },
      default: {
        description:
          'Timeouts, connection errors, 5xx and 429 are retried with exponential backoff ' +
          '(honouring Retry-After); other answers, redirects included, fail the delivery.',
      },
    },
    // Webhooks are authenticated by their signature, not by an API key.
    security: [],
  };
  return { post: operation };
}

/** The document with a webhook per public event type and the Standard Webhooks headers. */
export function addEventWebhooks(document: OpenApiDocument): OpenApiDocument {
  return {
    ...document,
    webhooks: Object.fromEntries(PublicEventTypes.map((type) => [type, webhook(type)])),
    components: {
      ...document.components,
      parameters: { ...document.components?.parameters, ...headers },
    },
  };
}
