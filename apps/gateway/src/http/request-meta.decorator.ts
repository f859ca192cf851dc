import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { RequestMeta } from '@finfusion/contracts';
import { requestMetaOf } from './request-state';

/** The merchant, request, correlation and idempotency ids of the current request. */
export const Meta = createParamDecorator((_data: unknown, context: ExecutionContext): RequestMeta =>
  requestMetaOf(context.switchToHttp().getRequest<FastifyRequest>()),
);
