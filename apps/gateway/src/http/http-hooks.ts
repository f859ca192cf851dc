import { Logger } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { requestStateOf, startRequestState } from './request-state';
import type { RouteTable } from './route-table';

export const REQUEST_ID_HEADER = 'Request-Id';

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
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
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
    if (reply.statusCode >= 500) logger.error(line);
    else if (route?.startsWith('/health/')) logger.debug(line);
    else logger.log(line);
    done();
  });
}
