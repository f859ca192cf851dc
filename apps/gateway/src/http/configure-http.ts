import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { GatewayConfig } from '../config';
import { serveApiDocs } from '../docs/openapi';
import { installHttpHooks } from './http-hooks';
import { parseJsonRequest } from './json-body';
import { RouteTable } from './route-table';

/** Runs before the app initialises and listens: hooks, the body parser, the documentation. */
export function configureHttp(app: NestFastifyApplication, config: GatewayConfig): void {
  const fastify = app.getHttpAdapter().getInstance();
  installHttpHooks(fastify, app.get(RouteTable));
  // JSON only: other media types (text/plain, forms) are answered 415 by Fastify.
  fastify.removeAllContentTypeParsers();
  app.useBodyParser('application/json', { bodyLimit: config.BODY_LIMIT_BYTES }, parseJsonRequest);
  serveApiDocs(app);
}
