import { fail, notFound, type ErrorReply } from '@finfusion/contracts';
import type { Refusal } from './endpoints/domain/endpoint-input';

/** The error codes the webhooks topics answer with, besides `resource_missing` (404). */
export const WebhookErrorCodes = {
  /** A field is missing, of the wrong type, or out of range; `param` names it. */
  parameterInvalid: 'parameter_invalid',
  /** The URL's host resolves to an address deliveries may not reach (SSRF guard). */
  urlNotAllowed: 'url_not_allowed',
  /** The URL's host does not resolve. */
  urlUnresolvable: 'url_unresolvable',
  /** A delivery of a disabled endpoint cannot be resent until the endpoint is enabled again. */
  endpointDisabled: 'endpoint_disabled',
  /** The merchant has as many endpoints as allowed (WEBHOOK_MAX_ENDPOINTS_PER_MERCHANT). */
  endpointLimitReached: 'endpoint_limit_reached',
} as const;

export const invalidRequest = (refusal: Refusal): ErrorReply =>
  fail(400, {
    type: 'invalid_request_error',
    code: refusal.code ?? WebhookErrorCodes.parameterInvalid,
    message: refusal.message,
    param: refusal.param,
  });

export const endpointNotFound = (param = 'id'): ErrorReply =>
  notFound('webhook endpoint', { param });

export const deliveryNotFound = (): ErrorReply =>
  notFound('webhook delivery', { param: 'delivery_id' });

export const eventNotFound = (): ErrorReply => notFound('event');

export const endpointDisabled = (id: string): ErrorReply =>
  fail(400, {
    type: 'invalid_request_error',
    code: WebhookErrorCodes.endpointDisabled,
    message: `Webhook endpoint '${id}' is disabled; enable it before resending deliveries.`,
    param: 'endpoint_id',
  });

export const endpointLimitReached = (max: number): ErrorReply =>
  fail(400, {
    type: 'invalid_request_error',
    code: WebhookErrorCodes.endpointLimitReached,
    message: `A merchant can have at most ${max} webhook endpoints; delete one before creating another.`,
  });
