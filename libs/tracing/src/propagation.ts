import {
  context,
  propagation,
  ROOT_CONTEXT,
  trace,
  type Context,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import { tracingOn } from './tracing';

/** A span's W3C Trace Context, as it travels in headers and rests in an event's metadata. */
export interface TraceContext {
  traceparent: string;
  tracestate?: string;
}

/** Kafka headers as kafkajs hands them over (Buffers when consumed) or takes them (strings). */
export type HeadersIn = Readonly<
  Record<string, Buffer | string | readonly (Buffer | string)[] | undefined>
>;

const headerSetter: TextMapSetter<Record<string, unknown>> = {
  set(carrier, key, value) {
    carrier[key] = value;
  },
};

const headerGetter: TextMapGetter<HeadersIn> = {
  keys: (carrier) => Object.keys(carrier),
  get(carrier, key) {
    const value = carrier[key];
    const first = Array.isArray(value) ? (value as readonly (Buffer | string)[])[0] : value;
    return first === undefined ? undefined : first.toString();
  },
};

/** Writes `traceparent` (and `tracestate`) of the context's span into the headers. */
export function injectTraceHeaders(
  headers: Record<string, unknown>,
  from: Context = context.active(),
): void {
  propagation.inject(from, headers, headerSetter);
}

/** The remote span context of the headers' `traceparent`, under which work on them continues. */
export function extractTraceHeaders(headers: HeadersIn | undefined): Context {
  return headers === undefined
    ? ROOT_CONTEXT
    : propagation.extract(ROOT_CONTEXT, headers, headerGetter);
}

/** The active span's trace context to keep beside what it wrote; undefined with tracing off. */
export function currentTraceContext(from: Context = context.active()): TraceContext | undefined {
  if (!tracingOn()) return undefined;
  const carrier: Partial<TraceContext> = {};
  propagation.inject(from, carrier, headerSetter);
  const { traceparent, tracestate } = carrier;
  if (traceparent === undefined) return undefined;
  return tracestate === undefined ? { traceparent } : { traceparent, tracestate };
}

/** The context a stored trace context continues. */
export function contextOf(stored: Partial<TraceContext> | undefined): Context {
  if (stored?.traceparent === undefined) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, stored, {
    keys: (carrier) => Object.keys(carrier),
    get: (carrier, key) => carrier[key as keyof TraceContext],
  });
}

/** The active trace's id, for log lines; undefined with tracing off or outside any span. */
export function activeTraceId(): string | undefined {
  if (!tracingOn()) return undefined;
  return trace.getSpanContext(context.active())?.traceId;
}
