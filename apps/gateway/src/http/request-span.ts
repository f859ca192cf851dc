import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
} from '@opentelemetry/semantic-conventions';
import {
  endSpan,
  endSpanFailed,
  ROOT_CONTEXT,
  SpanKind,
  startSpan,
  tracingOn,
  type Span,
} from '@finfusion/tracing';

/** The request id of the API, on the gateway's span: a log line or a support ticket finds it. */
export const REQUEST_ID_ATTRIBUTE = 'finfusion.request_id';

const spans = new WeakMap<FastifyRequest, Span>();

/**
 * Starts the request's server span (tracing on). Every request starts a trace of its own: a
 * client's `traceparent` is not continued, since the public API's callers are not part of the
 * platform and could otherwise choose our trace ids and sampling.
 */
export function startRequestSpan(request: FastifyRequest): void {
  if (!tracingOn()) return;
  const span = startSpan(request.method, {
    kind: SpanKind.SERVER,
    parent: ROOT_CONTEXT,
    attributes: {
      [ATTR_HTTP_REQUEST_METHOD]: request.method,
      [REQUEST_ID_ATTRIBUTE]: request.id,
    },
  });
  if (span) spans.set(request, span);
}

export const requestSpanOf = (request: FastifyRequest): Span | undefined => spans.get(request);

/** Names the span after the route pattern (never the URL: ids and queries stay out) and ends it. */
export function endRequestSpan(request: FastifyRequest, reply: FastifyReply): void {
  const span = spans.get(request);
  if (span === undefined) return;
  spans.delete(request);
  const route = request.routeOptions.url;
  if (route !== undefined) {
    span.updateName(`${request.method} ${route}`);
    span.setAttribute(ATTR_HTTP_ROUTE, route);
  }
  span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, reply.statusCode);
  if (reply.statusCode >= 500) endSpanFailed(span, String(reply.statusCode));
  else endSpan(span);
}
