import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { IdPrefixes, newId } from '@finfusion/contracts';
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

/**
 * Fastify's `clientErrorHandler`: Node reports a request that did not arrive in time (or could
 * not be parsed) on the socket, before any request object exists. It is answered in the API's
 * shape, with a request id of its own, and the connection is closed.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const apiError =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? ApiError.of('request_timeout')
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? new ApiError(
            431,
            ApiError.of('request_malformed', { message: 'The headers are too large.' }).body,
          )
        : ApiError.of('request_malformed');
  const requestId = newId(IdPrefixes.request);
  const body = JSON.stringify(errorEnvelope(apiError, requestId));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${apiError.status} ${STATUS_TEXT[apiError.status] ?? 'Error'}\r\n` +
        `${REQUEST_ID_HEADER}: ${requestId}\r\nConnection: close\r\n` +
        `Content-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};
