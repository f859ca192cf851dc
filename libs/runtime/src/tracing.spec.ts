import { loadConfig, ServiceConfig } from '@finfusion/config';
import { SpanKind, startKafkaSend, startSpan, tracingOn } from '@finfusion/tracing';
import { ServiceTracing } from './tracing';

describe('ServiceTracing', () => {
  it('registers nothing without an OTLP endpoint: the no-op tracer stays', async () => {
    const tracing = ServiceTracing.start(loadConfig(ServiceConfig, {}), 'payments');
    expect(tracingOn()).toBe(false);
    expect(startKafkaSend('payments.create')).toBeUndefined();
    expect(startSpan('span', { kind: SpanKind.INTERNAL })).toBeUndefined();
    await tracing.onApplicationShutdown();
  });

  it('exports under the app name, or OTEL_SERVICE_NAME, once an endpoint is set', async () => {
    const tracing = ServiceTracing.start(
      loadConfig(ServiceConfig, {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1',
        OTEL_SERVICE_NAME: 'payments-eu',
      }),
      'payments',
    );
    expect(tracingOn()).toBe(true);
    const span = startSpan('span', { kind: SpanKind.INTERNAL });
    expect(span?.isRecording()).toBe(true);
    expect(
      (span as unknown as { resource: { attributes: object } }).resource.attributes,
    ).toMatchObject({ 'service.name': 'payments-eu' });
    await tracing.onApplicationShutdown();
    expect(tracingOn()).toBe(false);
  });
});
