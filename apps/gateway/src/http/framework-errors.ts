import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, errorEnvelope } from '../errors/api-error';
import { REQUEST_ID_HEADER } from './http-hooks';

/** Longer path parameters are refused by the router, before any route (and its hooks) runs. */
export const MAX_PARAM_LENGTH = 500;

/** The API error for what Fastify's router refuses before routing: bad URLs, overlong params. */
export function frameworkError(error: Pick<FastifyError, 'code'>): ApiError {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return ApiError.of('request_malformed', {
        message: 'The URL is not valid (bad percent-encoding).',
      });
    case 'FST_ERR_MAX_PARAM_LENGTH': {
      const { body } = ApiError.of('request_malformed', {
        message: `A path segment is longer than ${MAX_PARAM_LENGTH} characters.`,
      });
      return new ApiError(414, body);
    }
    default:
      return ApiError.of('internal_error');
  }
}

/**
 * Fastify's `frameworkErrors` option: these requests never reach hooks or Nest, so the
 * Request-Id header and the error shape are set here.
 */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const apiError = frameworkError(error);
  void reply
    .status(apiError.status)
    .header(REQUEST_ID_HEADER, request.id)
    .type('application/json; charset=utf-8')
    .send(errorEnvelope(apiError, request.id));
}
