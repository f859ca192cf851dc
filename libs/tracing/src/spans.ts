import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import {
  currentTraceContext,
  extractTraceHeaders,
  injectTraceHeaders,
  type HeadersIn,
  type TraceContext,
} from './propagation';
import { tracingOn } from './tracing';

export { SpanKind };
export type { Span };

/**
 * Messaging attribute names of the OpenTelemetry semantic conventions. They are still
 * incubating, and the package asks users to copy such names rather than import them.
 */
export const MessagingAttributes = {
  system: 'messaging.system',
  operationName: 'messaging.operation.name',
  operationType: 'messaging.operation.type',
  destination: 'messaging.destination.name',
  partition: 'messaging.destination.partition.id',
  consumerGroup: 'messaging.consumer.group.name',
  offset: 'messaging.kafka.offset',
  messageId: 'messaging.message.id',
} as const;

const TRACER = 'finfusion';

/**
 * Starts a span, or returns undefined when tracing is off (nothing allocated). `parent` defaults
 * to the active context; pass ROOT_CONTEXT for a new trace.
 */
export function startSpan(
  name: string,
  options: { kind: SpanKind; attributes?: Attributes; parent?: Context },
): Span | undefined {
  if (!tracingOn()) return undefined;
  return trace
    .getTracer(TRACER)
    .startSpan(
      name,
      { kind: options.kind, ...(options.attributes && { attributes: options.attributes }) },
      options.parent ?? context.active(),
    );
}

/** Runs `fn` with the span active (its children's parent); just `fn()` without a span. */
export function runInSpan<T>(span: Span | undefined, fn: () => T): T {
  if (span === undefined) return fn();
  return context.with(trace.setSpan(context.active(), span), fn);
}

/**
 * Ends the span, as failed when there is an error. Only the error's type is recorded: messages
 * may quote what a request carried, and no request content goes into a span.
 */
export function endSpan(span: Span | undefined, error?: unknown): void {
  if (span === undefined) return;
  if (error !== undefined) {
    span.setStatus({ code: SpanStatusCode.ERROR });
    span.setAttribute(ATTR_ERROR_TYPE, errorType(error));
  }
  span.end();
}

/** Ends the span when the promise settles; the promise's outcome is unchanged. */
export function endSpanWhen<T>(span: Span | undefined, work: Promise<T>): Promise<T> {
  if (span === undefined) return work;
  return work.then(
    (value) => {
      endSpan(span);
      return value;
    },
    (error: unknown) => {
      endSpan(span, error);
      throw error;
    },
  );
}

const errorType = (error: unknown): string =>
  error instanceof Error ? error.name : typeof error === 'object' ? 'object' : typeof error;

const kafkaAttributes = (topic: string, operation: 'send' | 'process'): Attributes => ({
  [MessagingAttributes.system]: 'kafka',
  [MessagingAttributes.destination]: topic,
  [MessagingAttributes.operationName]: operation,
  [MessagingAttributes.operationType]: operation,
});

/**
 * A producer span, "send <topic>", whose context `inject` writes into a record's headers so its
 * consumer continues the trace. Child of `parent` (the active context by default). Undefined
 * when tracing is off.
 */
export function startKafkaSend(
  topic: string,
  options: { parent?: Context; attributes?: Attributes } = {},
): KafkaSend | undefined {
  const span = startSpan(`send ${topic}`, {
    kind: SpanKind.PRODUCER,
    attributes: { ...kafkaAttributes(topic, 'send'), ...options.attributes },
    ...(options.parent && { parent: options.parent }),
  });
  return span && new KafkaSend(span);
}

export class KafkaSend {
  constructor(readonly span: Span) {}

  /** Writes this span's `traceparent` (and `tracestate`) into the record's headers. */
  inject(headers: Record<string, unknown>): void {
    injectTraceHeaders(headers, trace.setSpan(ROOT_CONTEXT, this.span));
  }

  end(error?: unknown): void {
    endSpan(this.span, error);
  }
}

/** What a consumer knows of a record it processes. */
export interface ConsumedKafkaRecord {
  topic: string;
  partition: number;
  offset: string;
  headers?: HeadersIn;
}

/**
 * A consumer span, "process <topic>", child of the span whose context the record's headers
 * carry (a new trace when they carry none). Undefined when tracing is off.
 */
export function startKafkaProcess(
  record: ConsumedKafkaRecord,
  attributes: Attributes = {},
): Span | undefined {
  if (!tracingOn()) return undefined;
  return startSpan(`process ${record.topic}`, {
    kind: SpanKind.CONSUMER,
    parent: extractTraceHeaders(record.headers),
    attributes: {
      ...kafkaAttributes(record.topic, 'process'),
      [MessagingAttributes.partition]: String(record.partition),
      [MessagingAttributes.offset]: Number(record.offset),
      ...attributes,
    },
  });
}

/** The span's trace context, to store with what it wrote and continue later (`contextOf`). */
export const spanTraceContext = (span: Span): TraceContext | undefined =>
  currentTraceContext(trace.setSpan(ROOT_CONTEXT, span));

/** Ends the span as failed, with `error.type` set to this kind (a status code, `timeout`…). */
export function endSpanFailed(span: Span | undefined, errorKind: string): void {
  if (span === undefined) return;
  span.setStatus({ code: SpanStatusCode.ERROR });
  span.setAttribute(ATTR_ERROR_TYPE, errorKind);
  span.end();
}
