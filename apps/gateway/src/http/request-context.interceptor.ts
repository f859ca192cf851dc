import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { runWithRequestContext } from '@finfusion/runtime';
import { runInSpan } from '@finfusion/tracing';
import { requestSpanOf } from './request-span';
import { requestMetaOf, requestStateOf } from './request-state';

/**
 * Runs an authenticated request's handler inside the runtime's request context, so every log
 * line written while it runs carries the merchant, request and correlation ids, and inside its
 * server span (tracing on), so what it sends to Kafka continues the request's trace.
 */
@Injectable()
export class RequestContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (requestStateOf(request).merchantId === undefined) return next.handle();
    const meta = requestMetaOf(request);
    const span = requestSpanOf(request);
    return new Observable((subscriber) =>
      runInSpan(span, () => runWithRequestContext(meta, () => next.handle().subscribe(subscriber))),
    );
  }
}
