import { HttpException, NotFoundException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { isTransientFailure } from '@finfusion/kafka';
import { ApiError, type GatewayErrorCode } from './api-error';

/** What the filter knows about the request when it maps an error. */
export interface RequestFacts {
  method: string;
  url: string;
  /** Methods routed for this path: non-empty turns an unrouted request into a 405. */
  allowedMethods: string[];
  bodyLimitBytes?: number;
}

// Framework errors that reach the filter as HttpExceptions: Fastify's body errors, Nest's
// not-found handler. Any other 4xx keeps its status as `request_malformed`.
const codeByStatus: Readonly<Record<number, GatewayErrorCode>> = {
  400: 'request_malformed',
  413: 'body_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

const truncate = (text: string, max = 200): string =>
  text.length > max ? `${text.slice(0, max)}…` : text;

/** Maps anything thrown while serving a request to the error the client receives. */
export function toApiError(exception: unknown, request: RequestFacts): ApiError {
  if (exception instanceof ApiError) return exception;
  if (exception instanceof ThrottlerException) return ApiError.of('rate_limited');
  if (exception instanceof NotFoundException) return routeError(request);
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status >= 500) return ApiError.of('internal_error');
    if (status === 413 && request.bodyLimitBytes !== undefined) {
      return ApiError.of('body_too_large', {
        message: `The request body is larger than ${request.bodyLimitBytes} bytes.`,
      });
    }
    const code = codeByStatus[status];
    if (code !== undefined) return ApiError.of(code);
    // Fastify's own messages ("Request body size did not match Content-Length") are safe to show.
    const error = ApiError.of('request_malformed', { message: truncate(exception.message) });
    return status >= 400 ? new ApiError(status, error.body) : error;
  }
  // The gateway's own database (keys, idempotency records) unreachable or overloaded: the request
  // changed nothing, and a retry with the same Idempotency-Key is safe.
  if (isTransientFailure(exception)) return ApiError.of('service_unavailable');
  return ApiError.of('internal_error');
}

// Six or more digits in a row, grouped or not (spaces percent-encoded in a URL): a path may
// carry a mistyped card number, which is not repeated back.
const DIGIT_RUNS = /\d(?:(?:[ -]|%20)?\d){5,}/g;

function routeError({ method, url, allowedMethods }: RequestFacts): ApiError {
  const path = truncate((url.split('?', 1)[0] ?? url).replace(DIGIT_RUNS, '…'));
  if (allowedMethods.length > 0 && !allowedMethods.includes(method)) {
    return ApiError.of('method_not_allowed', {
      message: `${method} is not allowed on ${path}; allowed: ${allowedMethods.join(', ')}.`,
      headers: { Allow: allowedMethods.join(', ') },
    });
  }
  return ApiError.of('route_not_found', { message: `No route for ${method} ${path}.` });
}

/** 5xx errors the gateway decided itself are expected outcomes, not bugs: no stack to log. */
export const isUnexpected = (exception: unknown, error: ApiError): boolean =>
  error.status >= 500 && !(exception instanceof ApiError);
