import type { IncomingMessage } from 'node:http';
import { Logger } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { Histogram } from 'prom-client';
import { containsCardNumber } from '@finfusion/contracts';
import { ApiError, errorEnvelope } from '../errors/api-error';
import { cardNumberInText } from '../validation/gateway-validation.pipe';
import { requestStateOf, startRequestState } from './request-state';
import { endRequestSpan, startRequestSpan } from './request-span';
import type { RouteTable } from './route-table';

export const REQUEST_ID_HEADER = 'Request-Id';

const requestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by route pattern, method and status.',
  labelNames: ['route', 'method', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

/**
 * Fastify hooks that see every request, including those Nest never routes (unknown routes,
 * unreadable bodies): the Request-Id header, the route table for 405s, one access log line.
 */
export function installHttpHooks(fastify: FastifyInstance, routes: RouteTable): void {
  const logger = new Logger('Http');

  fastify.addHook('onRoute', (route) => {
    routes.add(route.url, route.method);
  });

  fastify.addHook('onRequest', (request, reply, done) => {
    startRequestState(request);
    startRequestSpan(request);
    void reply.header(REQUEST_ID_HEADER, request.id);
    const refusal = missingHost(request.raw) ?? cardNumberInHeaders(request.headers);
    if (refusal === undefined) {
      done();
      return;
    }
    // Answered here, before anything logs, stores or forwards the request.
    void reply
      .status(refusal.status)
      .type('application/json; charset=utf-8')
      .send(errorEnvelope(refusal, request.id));
  });

  // Never bodies, never headers: the Authorization header would carry the secret key.
  fastify.addHook('onResponse', (request, reply, done) => {
    const state = requestStateOf(request);
    const route = request.routeOptions.url;
    const line = {
      msg: 'request completed',
      method: request.method,
      route: route ?? null,
      status: reply.statusCode,
      duration_ms: Math.round(reply.elapsedTime),
      request_id: request.id,
      correlation_id: state.correlationId,
      merchant_id: state.merchantId ?? null,
    };
    // The route pattern, never the URL: ids would make one series per resource.
    requestDuration.observe(
      { route: route ?? 'unmatched', method: request.method, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    if (reply.statusCode >= 500) logger.error(line);
    else logger.log(line);
    endRequestSpan(request, reply);
    done();
  });
}

/** HTTP/1.1 requires a Host header (RFC 9112, section 3.2); HTTP/1.0 may leave it out. */
function missingHost(raw: IncomingMessage): ApiError | undefined {
  if (raw.httpVersion === '1.0' || raw.headers.host !== undefined) return undefined;
  return ApiError.of('request_malformed', { message: 'The Host header is missing.' });
}

function cardNumberInHeaders(
  headers: Record<string, string | string[] | undefined>,
): ApiError | undefined {
  const header = headerWithCardNumber(headers);
  return header === undefined ? undefined : cardNumberInText(header);
}

/** Headers whose values are logged, stored or sent on to the services, as the API names them. */
const TEXT_HEADERS = {
  'idempotency-key': 'Idempotency-Key',
  'x-correlation-id': 'X-Correlation-Id',
};

export function headerWithCardNumber(
  headers: Record<string, string | string[] | undefined>,
): string | undefined {
  for (const [name, shown] of Object.entries(TEXT_HEADERS)) {
    const value = headers[name];
    const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
    if (values.some(containsCardNumber)) return shown;
  }
  return undefined;
}
