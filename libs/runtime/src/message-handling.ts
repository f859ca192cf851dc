import {
  applyDecorators,
  Catch,
  Controller,
  Logger,
  UseFilters,
  UseInterceptors,
  type ArgumentsHost,
  type CallHandler,
  type ExceptionFilter,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { MessagePattern, Payload, type KafkaContext } from '@nestjs/microservices';
import { Histogram } from 'prom-client';
import { Observable, of, tap } from 'rxjs';
import {
  cardNumberAt,
  containsCardNumber,
  deadlinePassed,
  fail,
  unstorableTextAt,
  type ErrorReply,
  type ReplyOf,
  type TopicRequest,
  type RequestTopic,
  type ServiceReply,
  type ServiceRequest,
} from '@finfusion/contracts';
import { isTransientFailure } from '@finfusion/kafka';
import { runWithRequestContext } from './request-context';

const handlingDuration = new Histogram({
  name: 'kafka_request_duration_seconds',
  help: 'Time to handle a request from a request topic, by topic and reply status.',
  labelNames: ['topic', 'status'],
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
});

const isServiceRequest = (data: unknown): data is ServiceRequest<unknown> =>
  typeof data === 'object' && data !== null && 'meta' in data && typeof data.meta === 'object';

/** Runs each request handler inside its request context and logs its outcome once. */
export class MessageContextInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Messages');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const rpc = context.switchToRpc();
    const data: unknown = rpc.getData();
    const topic = rpc.getContext<KafkaContext>().getTopic();
    if (!isServiceRequest(data)) return next.handle();
    const started = performance.now();
    if (data.meta.deadline !== undefined && Date.now() > data.meta.deadline) {
      // The gateway has already answered 504; doing the work now would surprise the caller.
      return runWithRequestContext(data.meta, () => {
        this.logger.warn({ topic }, 'request skipped: its deadline passed before it was handled');
        return of(deadlinePassed());
      });
    }
    const metaField = metaFieldWithCardNumber(data.meta);
    if (metaField !== undefined) {
      // Refused outside the request context: its ids would put the number in the log line.
      this.logger.warn({ topic, param: metaField }, 'request refused: a card number in its ids');
      return of(cardNumberInText(metaField));
    }
    const unstorable = unstorableTextAt(data.payload);
    if (unstorable !== undefined) {
      // The gateway refuses these first; a service never lets one reach its database either.
      return runWithRequestContext(data.meta, () => {
        this.logger.warn({ topic, param: unstorable }, 'request refused: unstorable text');
        return of(unstorableText(unstorable));
      });
    }
    // Cards travel sealed: a number in clear text anywhere in a payload is never stored.
    const holder = cardNumberAt(data.payload);
    if (holder !== undefined) {
      return runWithRequestContext(data.meta, () => {
        this.logger.warn({ topic, param: holder }, 'request refused: a card number in its text');
        return of(cardNumberInText(holder));
      });
    }
    return new Observable((subscriber) =>
      runWithRequestContext(data.meta, () =>
        next
          .handle()
          .pipe(
            tap((reply) => {
              const status = (reply as ServiceReply<unknown> | undefined)?.status;
              const durationMs = Math.round(performance.now() - started);
              handlingDuration.observe(
                { topic, status: String(status ?? 'none') },
                (performance.now() - started) / 1000,
              );
              this.logger.log({ topic, status, duration_ms: durationMs }, 'request handled');
            }),
          )
          .subscribe(subscriber),
      ),
    );
  }
}

const unstorableText = (param: string): ErrorReply =>
  fail(400, {
    type: 'invalid_request_error',
    code: 'parameter_invalid',
    param,
    message: 'Text may not contain NUL characters or unpaired UTF-16 surrogates.',
  });

const cardNumberInText = (param: string): ErrorReply =>
  fail(400, {
    type: 'invalid_request_error',
    code: 'parameter_invalid',
    ...(param === '' ? {} : { param }),
    message: `${param === '' ? 'The request' : param} must not contain a card number.`,
  });

/** The header a request's meta field came from, when it holds a card number. */
function metaFieldWithCardNumber(meta: ServiceRequest<unknown>['meta']): string | undefined {
  if (typeof meta.idempotencyKey === 'string' && containsCardNumber(meta.idempotencyKey)) {
    return 'Idempotency-Key';
  }
  if (typeof meta.correlationId === 'string' && containsCardNumber(meta.correlationId)) {
    return 'X-Correlation-Id';
  }
  return undefined;
}

/**
 * A handler that failed because its database or broker went away (a connection reset, a restart,
 * too many connections): the request's statement did not commit, or committed whole, so a retry
 * with the same Idempotency-Key is safe. A 503 says so; a 500 would say the request itself broke.
 */
export const serviceUnavailable = (): ErrorReply =>
  fail(503, {
    type: 'api_error',
    code: 'service_unavailable',
    message: 'The service is unavailable. Retry later with the same Idempotency-Key.',
  });

/** Any error a handler throws becomes an `api_error` reply; the gateway never waits in vain. */
@Catch()
export class ReplyExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Messages');

  catch(exception: unknown, _host: ArgumentsHost): Observable<ErrorReply> {
    const transient = isTransientFailure(exception);
    this.logger.error(
      {
        err:
          exception instanceof Error
            ? { message: exception.message, stack: exception.stack }
            : exception,
        transient,
      },
      'request failed',
    );
    if (transient) return of(serviceUnavailable());
    return of(
      fail(500, {
        type: 'api_error',
        code: 'internal_error',
        message: 'An internal error occurred. Retry with the same Idempotency-Key.',
      }),
    );
  }
}

/** A controller of Kafka request handlers: request context, logging and error replies. */
const MessageController = (): ClassDecorator =>
  applyDecorators(
    Controller(),
    UseInterceptors(MessageContextInterceptor),
    UseFilters(ReplyExceptionFilter),
  );

/**
 * The handler of request topic T: `handle` takes what a sender puts on T and answers with T's
 * reply, both as the contracts' exchange table types them. Declared as a property, not a method:
 * a method's parameter would be compared both ways, letting through a handler that reads more
 * than the topic sends.
 */
export interface RequestHandler<T extends RequestTopic> {
  handle: (request: TopicRequest<T>) => Promise<ServiceReply<ReplyOf<T>>>;
}

/** The handler's name: the method `HandlesRequest` makes the topic's `@MessagePattern`. */
const HANDLE = 'handle';

/**
 * Makes the class the handler of one request topic: a Nest controller whose `handle` method is
 * the topic's `@MessagePattern`, given the whole request as its `@Payload()`, run in the request's
 * context with its outcome logged, and whose thrown errors become `api_error` replies. The class
 * must be a `RequestHandler` of that topic: a payload or reply type of another topic does not
 * compile, so `handle` may leave its return type to inference.
 */
export const HandlesRequest =
  <T extends RequestTopic>(topic: T) =>
  (target: abstract new (...args: never[]) => RequestHandler<T>): void => {
    const prototype = target.prototype as object;
    const handle = Object.getOwnPropertyDescriptor(prototype, HANDLE);
    if (typeof handle?.value !== 'function') {
      throw new Error(`${target.name} handles ${topic} but declares no ${HANDLE} method`);
    }
    MessagePattern(topic)(prototype, HANDLE, handle);
    Payload()(prototype, HANDLE, 0);
    MessageController()(target);
  };
