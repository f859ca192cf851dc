import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayConfig } from '../config';
import { RouteTable } from '../http/route-table';
import { REQUEST_ID_HEADER } from '../http/http-hooks';
import { errorEnvelope } from './api-error';
import { isUnexpected, toApiError } from './error-mapping';
import { ReplayedResponse } from './replayed-response';

export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/**
 * The one place that writes error responses, in the API's error shape. It also serves Fastify's
 * errors (body parsing, limits) and unknown routes, which Nest routes through global filters.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(
    private readonly routes: RouteTable,
    private readonly config: GatewayConfig,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (reply.sent) {
      this.logger.error({ msg: 'error after the response was sent', err: describe(exception) });
      return;
    }
    if (exception instanceof ReplayedResponse) {
      void reply
        .status(exception.status)
        .header(IDEMPOTENT_REPLAYED_HEADER, 'true')
        .type('application/json; charset=utf-8')
        .send(exception.body);
      return;
    }
    const error = toApiError(exception, {
      method: request.method,
      url: request.url,
      allowedMethods: this.routes.allowedMethods(request.url),
      bodyLimitBytes: this.config.BODY_LIMIT_BYTES,
    });
    if (isUnexpected(exception, error)) {
      this.logger.error({
        msg: 'request failed',
        request_id: request.id,
        err: describe(exception),
      });
    }
    void reply
      .status(error.status)
      .headers(error.headers)
      // Set again: a request whose path does not decode skips the hook that sets it.
      .header(REQUEST_ID_HEADER, request.id)
      .type('application/json; charset=utf-8')
      .send(errorEnvelope(error, request.id));
  }
}

const describe = (exception: unknown): unknown =>
  exception instanceof Error
    ? { type: exception.name, message: exception.message, stack: exception.stack }
    : exception;
