import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/** The OTLP/HTTP encodings a collector takes; gRPC is not offered (one exporter less to ship). */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/** Where a process's spans go, in the terms of the standard OTEL_* variables. */
export interface OtlpSettings {
  serviceName: string;
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the collector's base URL; traces go to `<base>/v1/traces`. */
  endpoint: string;
  /** OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: the full traces URL; wins over `endpoint`. */
  tracesEndpoint: string;
  protocol: OtlpProtocol;
}

let provider: NodeTracerProvider | undefined;

/**
 * Whether this process records spans. Every call site checks this first, so with tracing off a
 * message costs one boolean test: no span, no context, no header.
 */
export const tracingOn = (): boolean => provider !== undefined;

/** The URL spans are posted to, or undefined when neither endpoint variable is set. */
export function otlpTracesUrl(settings: Pick<OtlpSettings, 'endpoint' | 'tracesEndpoint'>) {
  if (settings.tracesEndpoint !== '') return settings.tracesEndpoint;
  if (settings.endpoint !== '') return `${settings.endpoint.replace(/\/+$/, '')}/v1/traces`;
  return undefined;
}

/**
 * Starts exporting this process's spans by OTLP/HTTP when an endpoint is configured; otherwise
 * registers nothing, and the API's no-op tracer stays in place. Returns whether tracing is on.
 * Spans are batched (the SDK's OTEL_BSP_* variables tune the batches) and propagated as W3C
 * Trace Context (`traceparent`, `tracestate`).
 */
export function startOtlpTracing(settings: OtlpSettings): boolean {
  const url = otlpTracesUrl(settings);
  if (url === undefined) return false;
  const exporter: SpanExporter =
    settings.protocol === 'http/json'
      ? new OtlpJsonExporter({ url })
      : new OtlpProtobufExporter({ url });
  startTracing(settings.serviceName, new BatchSpanProcessor(exporter));
  return true;
}

/** Registers a tracer provider with this processor (tests pass an in-memory one). */
export function startTracing(serviceName: string, processor: SpanProcessor): void {
  if (provider !== undefined) throw new Error('tracing is already started');
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    spanProcessors: [processor],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
}

/** Exports the spans still queued, then stops; the no-op tracer takes over again. */
export async function stopTracing(): Promise<void> {
  const stopping = provider;
  if (stopping === undefined) return;
  provider = undefined;
  try {
    await stopping.shutdown();
  } finally {
    trace.disable();
    context.disable();
    propagation.disable();
  }
}
