import type { ApiErrorBody, ErrorType } from '@finfusion/contracts';

interface ErrorDefinition {
  status: number;
  type: ErrorType;
  message: string;
}

/**
 * Every error code the gateway answers with itself, in one place. Codes are
 * part of the public API: add new ones, never rename one. Services add their own codes (for
 * example `resource_missing`, `card_declined`); those pass through unchanged.
 */
export const GatewayErrors = {
  // 400: the request cannot be read or does not validate.
  invalid_json: {
    status: 400,
    type: 'invalid_request_error',
    message: 'The request body is not valid JSON.',
  },
  invalid_body: {
    status: 400,
    type: 'invalid_request_error',
    message: 'The request body must be a JSON object.',
  },
  request_malformed: {
    status: 400,
    type: 'invalid_request_error',
    message: 'The request is malformed.',
  },
  parameter_missing: {
    status: 400,
    type: 'invalid_request_error',
    message: 'A required parameter is missing.',
  },
  parameter_unknown: {
    status: 400,
    type: 'invalid_request_error',
    message: 'The request has an unknown parameter.',
  },
  parameter_invalid: {
    status: 400,
    type: 'invalid_request_error',
    message: 'A parameter is invalid.',
  },
  // 400 of POST /v2/payments, the same codes the payments service answers with
  // (PaymentRequestErrorCodes in libs/contracts): the gateway checks first, with the same rules.
  amount_too_small: {
    status: 400,
    type: 'invalid_request_error',
    message: 'The amount is below the minimum of one minor unit.',
  },
  amount_too_large: {
    status: 400,
    type: 'invalid_request_error',
    message: 'The amount is above the maximum.',
  },
  invalid_currency: {
    status: 400,
    type: 'invalid_request_error',
    message: 'The currency is not a supported ISO 4217 code.',
  },
  invalid_number: {
    status: 400,
    type: 'invalid_request_error',
    message: 'The card number is not a valid card number.',
  },
  invalid_expiry_month: {
    status: 400,
    type: 'invalid_request_error',
    message: "The card's expiration month is invalid.",
  },
  invalid_expiry_year: {
    status: 400,
    type: 'invalid_request_error',
    message: "The card's expiration year is invalid.",
  },
  invalid_cvc: {
    status: 400,
    type: 'invalid_request_error',
    message: "The card's security code is invalid.",
  },
  invalid_metadata: {
    status: 400,
    type: 'invalid_request_error',
    message: 'The metadata is invalid.',
  },
  // 401
  api_key_missing: {
    status: 401,
    type: 'authentication_error',
    message: 'No API key provided. Send it as "Authorization: Bearer <key>".',
  },
  api_key_invalid: {
    status: 401,
    type: 'authentication_error',
    message: 'The API key provided is invalid, unknown or revoked.',
  },
  // 404, 405
  resource_missing: {
    status: 404,
    type: 'invalid_request_error',
    message: 'No such resource.',
  },
  route_not_found: {
    status: 404,
    type: 'invalid_request_error',
    message: 'No such route.',
  },
  method_not_allowed: {
    status: 405,
    type: 'invalid_request_error',
    message: 'This method is not allowed on this route.',
  },
  // Idempotency-Key
  idempotency_key_invalid: {
    status: 400,
    type: 'idempotency_error',
    message: 'The Idempotency-Key header must be 1 to 255 printable ASCII characters.',
  },
  idempotency_key_reused: {
    status: 400,
    type: 'idempotency_error',
    message:
      'This Idempotency-Key was already used with a different request (method, path or body). ' +
      'Use a new key for a new request.',
  },
  idempotency_key_in_use: {
    status: 409,
    type: 'idempotency_error',
    message:
      'A request with this Idempotency-Key is still being processed. Retry after it has finished.',
  },
  // Transport limits
  request_timeout: {
    status: 408,
    type: 'invalid_request_error',
    message: 'The request was not received in time. Send it again, without pauses.',
  },
  body_too_large: {
    status: 413,
    type: 'invalid_request_error',
    message: 'The request body is too large.',
  },
  unsupported_media_type: {
    status: 415,
    type: 'invalid_request_error',
    message: 'The request body must be sent as application/json.',
  },
  rate_limited: {
    status: 429,
    type: 'rate_limit_error',
    message: 'Too many requests. Retry after the number of seconds in the Retry-After header.',
  },
  // 5xx: never details of the failure, which stay in the logs.
  internal_error: {
    status: 500,
    type: 'api_error',
    message: 'An internal error occurred. Retry with the same Idempotency-Key.',
  },
  service_error: {
    status: 502,
    type: 'api_error',
    message: 'A service answered with an invalid reply. Retry with the same Idempotency-Key.',
  },
  service_unavailable: {
    status: 503,
    type: 'api_error',
    message: 'The service is unavailable. Retry later with the same Idempotency-Key.',
  },
  service_timeout: {
    status: 504,
    type: 'api_error',
    message: 'The service did not answer in time. Retry with the same Idempotency-Key.',
  },
} as const satisfies Record<string, ErrorDefinition>;

export type GatewayErrorCode = keyof typeof GatewayErrors;

export interface ErrorDetails {
  message?: string;
  param?: string;
  /** Response headers that belong to this error (Retry-After, Allow, WWW-Authenticate). */
  headers?: Record<string, string>;
}

/** Whether the error was decided by the gateway or relayed from a service's reply. */
export type ErrorOrigin = 'gateway' | 'service';

/** An error in the API's shape: an HTTP status and the `error` object, less request_id. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
    readonly origin: ErrorOrigin = 'gateway',
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(body.message);
  }

  static of(code: GatewayErrorCode, details: ErrorDetails = {}): ApiError {
    const definition: ErrorDefinition = GatewayErrors[code];
    const body: ApiErrorBody = {
      type: definition.type,
      code,
      message: details.message ?? definition.message,
    };
    if (details.param !== undefined) body.param = details.param;
    return new ApiError(definition.status, body, 'gateway', details.headers);
  }

  /** A service's error reply: its status and body reach the client unchanged. */
  static fromService(status: number, body: ApiErrorBody): ApiError {
    return new ApiError(status, body, 'service');
  }
}

export interface ErrorEnvelope {
  error: ApiErrorBody & { request_id: string };
}

/** The response body of an error, with the request id last as in the API's error shape. */
export const errorEnvelope = (error: ApiError, requestId: string): ErrorEnvelope => ({
  error: { ...error.body, request_id: requestId },
});
