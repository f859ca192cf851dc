import { IsInt, Min } from 'class-validator';
import { ConfigError, loadConfig } from './load-config';
import { ServiceConfig } from './service.config';

class ExampleConfig extends ServiceConfig {
  @IsInt()
  @Min(1)
  PORT: number = 3000;
}

describe('loadConfig', () => {
  it('uses the defaults when nothing is set', () => {
    const config = loadConfig(ExampleConfig, {});
    expect(config.PORT).toBe(3000);
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(config.MIGRATIONS_RUN).toBe(true);
  });

  it('converts numbers, booleans and lists from strings', () => {
    const config = loadConfig(ExampleConfig, {
      PORT: '8080',
      MIGRATIONS_RUN: 'false',
      KAFKA_BROKERS: 'a:9092, b:9093',
    });
    expect(config.PORT).toBe(8080);
    expect(config.MIGRATIONS_RUN).toBe(false);
    expect(config.KAFKA_BROKERS).toEqual(['a:9092', 'b:9093']);
  });

  it('takes OTLP endpoints by name inside a cluster, and refuses other URLs or gRPC', () => {
    const config = loadConfig(ExampleConfig, {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    });
    expect(config.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://otel-collector:4318');
    expect(loadConfig(ExampleConfig, {}).OTEL_EXPORTER_OTLP_ENDPOINT).toBe('');
    const attempt = () =>
      loadConfig(ExampleConfig, {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'otel-collector:4318',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      });
    expect(attempt).toThrow(/OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: must be an http/);
    expect(attempt).toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL/);
  });

  it('names every bad variable in one error', () => {
    const attempt = () =>
      loadConfig(ExampleConfig, {
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        MIGRATIONS_RUN: 'maybe',
      });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PORT: .*got "eighty"/);
    expect(attempt).toThrow(/DATABASE_URL: must be a postgres:\/\/ URL/);
    expect(attempt).toThrow(/MIGRATIONS_RUN/);
  });

  it('never echoes the value of a secret variable', () => {
    class SecretConfig {
      @Min(100)
      SIGNING_KEY: number = 100;
    }
    expect(() => loadConfig(SecretConfig, { SIGNING_KEY: '7' })).toThrow(
      /SIGNING_KEY: .*value hidden/,
    );
    expect(() => loadConfig(SecretConfig, { SIGNING_KEY: '7' })).not.toThrow(/"7"/);
  });

  it('ignores variables the schema does not declare', () => {
    const config = loadConfig(ExampleConfig, { UNRELATED: 'x' });
    expect(config).not.toHaveProperty('UNRELATED');
  });

  it('refuses an admin port equal to the HTTP port, and takes any other', () => {
    expect(() => loadConfig(ExampleConfig, { PORT: '8080', ADMIN_PORT: '8080' })).toThrow(
      /ADMIN_PORT: must differ from PORT \(got "8080"\)/,
    );
    expect(loadConfig(ExampleConfig, { PORT: '8080', ADMIN_PORT: '9090' }).ADMIN_PORT).toBe(9090);
    expect(loadConfig(ExampleConfig, { PORT: '8080', ADMIN_PORT: '0' }).ADMIN_PORT).toBe(0);
  });
});
