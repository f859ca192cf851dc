import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  contextOf,
  currentTraceContext,
  endSpan,
  extractTraceHeaders,
  MessagingAttributes,
  otlpTracesUrl,
  ROOT_CONTEXT,
  runInSpan,
  SpanKind,
  startKafkaProcess,
  startKafkaSend,
  startOtlpTracing,
  startSpan,
  startTracing,
  stopTracing,
  tracingOn,
} from './index';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

describe('tracing off (no endpoint)', () => {
  it('registers nothing: no spans, no headers, no stored context', () => {
    expect(
      startOtlpTracing({
        serviceName: 'payments',
        endpoint: '',
        tracesEndpoint: '',
        protocol: 'http/protobuf',
      }),
    ).toBe(false);
    expect(tracingOn()).toBe(false);
    expect(startSpan('anything', { kind: SpanKind.INTERNAL })).toBeUndefined();
    expect(startKafkaSend('payments.create')).toBeUndefined();
    expect(
      startKafkaProcess({ topic: 'payments.create', partition: 0, offset: '1', headers: {} }),
    ).toBeUndefined();
    expect(currentTraceContext()).toBeUndefined();
    const headers: Record<string, unknown> = {};
    propagation.inject(context.active(), headers);
    expect(headers).toEqual({});
  });

  it('posts to <endpoint>/v1/traces, or to the traces endpoint as given', () => {
    expect(otlpTracesUrl({ endpoint: 'http://collector:4318/', tracesEndpoint: '' })).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(
      otlpTracesUrl({ endpoint: 'http://collector:4318', tracesEndpoint: 'http://other/traces' }),
    ).toBe('http://other/traces');
    expect(otlpTracesUrl({ endpoint: '', tracesEndpoint: '' })).toBeUndefined();
  });
});

describe('tracing on', () => {
  const exporter = new InMemorySpanExporter();

  beforeAll(() => {
    startTracing('test-service', new SimpleSpanProcessor(exporter));
  });
  afterAll(() => stopTracing());
  beforeEach(() => {
    exporter.reset();
  });

  it('carries a send span into Kafka headers, and continues it in the consumer', () => {
    const server = startSpan('POST /v2/payments', { kind: SpanKind.SERVER, parent: ROOT_CONTEXT });
    const headers: Record<string, unknown> = {};
    runInSpan(server, () => {
      const send = startKafkaSend('payments.create');
      send?.inject(headers);
      send?.end();
    });
    endSpan(server);

    // On the consumer's side kafkajs hands over Buffers.
    const consumed = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, Buffer.from(String(value))]),
    );
    const processing = startKafkaProcess(
      { topic: 'payments.create', partition: 3, offset: '42', headers: consumed },
      { [MessagingAttributes.consumerGroup]: 'payments' },
    );
    endSpan(processing);

    // By kind, not start time: spans started in the same instant have no order.
    const finished = exporter.getFinishedSpans();
    const ofKind = (kind: SpanKind) => finished.find((span) => span.kind === kind);
    expect(finished).toHaveLength(3);
    const serverSpan = ofKind(SpanKind.SERVER);
    const sendSpan = ofKind(SpanKind.PRODUCER);
    const processSpan = ofKind(SpanKind.CONSUMER);
    expect(headers.traceparent).toMatch(TRACEPARENT);
    expect(String(headers.traceparent)).toContain(sendSpan?.spanContext().spanId);
    expect(sendSpan?.kind).toBe(SpanKind.PRODUCER);
    expect(sendSpan?.name).toBe('send payments.create');
    expect(sendSpan?.parentSpanContext?.spanId).toBe(serverSpan?.spanContext().spanId);
    expect(processSpan?.kind).toBe(SpanKind.CONSUMER);
    expect(processSpan?.parentSpanContext?.spanId).toBe(sendSpan?.spanContext().spanId);
    expect(processSpan?.spanContext().traceId).toBe(serverSpan?.spanContext().traceId);
    expect(processSpan?.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': 'payments.create',
      'messaging.operation.type': 'process',
      'messaging.destination.partition.id': '3',
      'messaging.kafka.offset': 42,
      'messaging.consumer.group.name': 'payments',
    });
  });

  it('keeps the active span context to store, and continues a stored one later', () => {
    const handler = startSpan('process payments.create', { kind: SpanKind.CONSUMER });
    const stored = runInSpan(handler, () => currentTraceContext());
    endSpan(handler);
    expect(stored?.traceparent).toMatch(TRACEPARENT);

    const relay = startKafkaSend('payments.payment.events', { parent: contextOf(stored) });
    relay?.end();
    const [, relaySpan] = exporter.getFinishedSpans();
    expect(relaySpan?.spanContext().traceId).toBe(handler?.spanContext().traceId);
    expect(relaySpan?.parentSpanContext?.spanId).toBe(handler?.spanContext().spanId);
  });

  it('starts a new trace for a record without trace headers, and ignores malformed ones', () => {
    expect(trace.getSpanContext(extractTraceHeaders({ traceparent: 'garbage' }))).toBeUndefined();
    const span = startKafkaProcess({ topic: 't', partition: 0, offset: '0', headers: {} });
    endSpan(span, new TypeError('boom'));
    const [finished] = exporter.getFinishedSpans();
    expect(finished?.parentSpanContext).toBeUndefined();
    expect(finished?.status.code).toBe(2);
    expect(finished?.attributes['error.type']).toBe('TypeError');
    expect(JSON.stringify(finished?.attributes)).not.toContain('boom');
  });
});
