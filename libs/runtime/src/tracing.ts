import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ServiceConfig } from '@finfusion/config';
import {
  otlpTracesUrl,
  startOtlpTracing,
  stopTracing,
  type OtlpProtocol,
} from '@finfusion/tracing';

/**
 * The process's OpenTelemetry tracing: on when OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set, started as the application is created, before any
 * consumer, relay or listener; the spans still queued are exported at shutdown.
 */
export class ServiceTracing implements OnApplicationShutdown {
  static start(config: ServiceConfig, service: string): ServiceTracing {
    const settings = {
      serviceName: config.OTEL_SERVICE_NAME === '' ? service : config.OTEL_SERVICE_NAME,
      endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
      tracesEndpoint: config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
      protocol: config.OTEL_EXPORTER_OTLP_PROTOCOL as OtlpProtocol,
    };
    if (startOtlpTracing(settings)) {
      new Logger('Tracing').log({
        msg: 'tracing on',
        service_name: settings.serviceName,
        url: otlpTracesUrl(settings),
        protocol: settings.protocol,
      });
    }
    return new ServiceTracing();
  }

  onApplicationShutdown(): Promise<void> {
    return stopTracing();
  }
}
