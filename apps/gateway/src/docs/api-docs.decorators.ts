import { applyDecorators, type Type } from '@nestjs/common';
import { ApiHeader, ApiResponse, type ApiResponseCommonMetadata } from '@nestjs/swagger';
import { apiSchemaRef, type ApiSchema } from './api-schema';
import { ErrorResponse } from './error.schema';

type HeadersObject = NonNullable<ApiResponseCommonMetadata['headers']>;

const requestIdHeader: HeadersObject = {
  'Request-Id': {
    description: 'Identifies this request (req_…); quote it when asking for support.',
    schema: { type: 'string', example: 'req_4Qm2x9Zt7LbK1cVn3RfH8e' },
  },
};

const replayedHeader: HeadersObject = {
  'Idempotent-Replayed': {
    description:
      'true when this is the kept response of an earlier request with the same Idempotency-Key.',
    schema: { type: 'string', enum: ['true'] },
  },
};

const retryAfterHeader: HeadersObject = {
  'Retry-After': {
    description: 'Seconds to wait before retrying.',
    schema: { type: 'integer', example: 1 },
  },
};

const errorDescriptions: Record<number, string> = {
  400: 'Invalid request: malformed JSON, a missing, unknown or invalid parameter (named in `param`), or an Idempotency-Key reused for another request.',
  401: 'No API key, or an invalid, unknown or revoked one.',
  402: 'The payment was created and failed (card_error); the error carries the failed payment.',
  404: 'No such resource for this merchant (resources of other merchants are not revealed).',
  409: 'A request with this Idempotency-Key is still in progress.',
  413: 'The request body is larger than the limit.',
  415: 'The request body is not application/json.',
  429: 'Too many requests for this API key.',
  500: 'An internal error.',
  502: 'A service answered with an invalid reply.',
  503: 'A service is unavailable.',
  504: 'A service did not answer in time.',
};

/** Error responses in the common error shape, with their headers. */
export const ApiErrors = (...statuses: number[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: errorDescriptions[status] ?? 'Error.',
        type: ErrorResponse,
        headers: status === 429 ? { ...requestIdHeader, ...retryAfterHeader } : requestIdHeader,
      }),
    ),
  );

/** The success response of a route, its body documented from the contracts' schema. */
export const ApiSuccess = (
  body: ApiSchema,
  description: string,
  { idempotent = false }: { idempotent?: boolean } = {},
): MethodDecorator & ClassDecorator =>
  ApiResponse({
    status: 200,
    description,
    schema: apiSchemaRef(body),
    headers: idempotent ? { ...requestIdHeader, ...replayedHeader } : requestIdHeader,
  });

/** A POST: the Idempotency-Key header and the errors that come with it and with a body. */
export const ApiIdempotentPost = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Makes the POST safe to retry: the first response is kept (24 h by default) and replayed ' +
        'for the same key and body, with Idempotent-Replayed: true. Scoped to your account.',
      schema: { type: 'string', maxLength: 255, example: '5f1c7a3e-9b2d-4c1e-8f3a-2d6b9e0c4a71' },
    }),
    ApiErrors(400, 409, 413, 415),
  );

/** One error response with a schema of its own (a 402 that carries the failed payment). */
export const ApiErrorResponse = (
  status: number,
  type: Type<unknown>,
  description: string = errorDescriptions[status] ?? 'Error.',
): MethodDecorator & ClassDecorator =>
  ApiResponse({ status, description, type, headers: requestIdHeader });
