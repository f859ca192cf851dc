import { loadConfig } from '@finfusion/config';
import { DispatcherConfig } from './config';
import { undocumentedVariables } from '@finfusion/testing';

describe('DispatcherConfig', () => {
  it('defaults to production-safe delivery settings', () => {
    const config = loadConfig(DispatcherConfig, {});
    expect(config).toMatchObject({
      PORT: 3003,
      WEBHOOK_EVENTS_GROUP_ID: 'webhook-dispatcher-events',
      WEBHOOK_ALLOW_HTTP: false,
      WEBHOOK_ALLOW_LOOPBACK: false,
      WEBHOOK_RETRY_SCHEDULE: [
        0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
      ],
      WEBHOOK_TIMEOUT_MS: 10_000,
      WEBHOOK_LEASE_MS: 60_000,
      WEBHOOK_DISABLE_AFTER_FAILING_MS: 5 * 24 * 3600 * 1000,
      WEBHOOK_SECRET_OVERLAP_SECONDS: 86_400,
      WEBHOOK_CONCURRENCY: 32,
      WEBHOOK_ENDPOINT_CONCURRENCY: 4,
      WEBHOOK_MERCHANT_CONCURRENCY: 16,
      WEBHOOK_MAX_ENDPOINTS_PER_MERCHANT: 16,
      WEBHOOK_DNS_TIMEOUT_MS: 2000,
      WEBHOOK_DELIVERY_RETENTION_DAYS: 30,
      WEBHOOK_RECEIVED_EVENTS_RETENTION_DAYS: 30,
      WEBHOOK_SWEEP_INTERVAL_MS: 3_600_000,
      WEBHOOK_SWEEP_BATCH_SIZE: 1000,
      WEBHOOK_POLL_MS: 5000,
    });
  });

  it('reads a compressed retry schedule', () => {
    const config = loadConfig(DispatcherConfig, { WEBHOOK_RETRY_SCHEDULE: '0, 10,20 ,40' });
    expect(config.WEBHOOK_RETRY_SCHEDULE).toEqual([0, 10, 20, 40]);
  });

  it.each([['0,soon'], ['0,-5'], ['1.5'], [',']])('names a bad schedule %p', (schedule) => {
    expect(() => loadConfig(DispatcherConfig, { WEBHOOK_RETRY_SCHEDULE: schedule })).toThrow(
      /WEBHOOK_RETRY_SCHEDULE/,
    );
  });

  it('refuses a lease no longer than the attempt timeout', () => {
    expect(() =>
      loadConfig(DispatcherConfig, { WEBHOOK_TIMEOUT_MS: '5000', WEBHOOK_LEASE_MS: '5000' }),
    ).toThrow(/WEBHOOK_LEASE_MS: must be greater than WEBHOOK_TIMEOUT_MS/);
  });

  it('pools 20 connections by default, within the range every service checks', () => {
    expect(loadConfig(DispatcherConfig, {}).DATABASE_POOL_SIZE).toBe(20);
    expect(loadConfig(DispatcherConfig, { DATABASE_POOL_SIZE: '50' }).DATABASE_POOL_SIZE).toBe(50);
    expect(() => loadConfig(DispatcherConfig, { DATABASE_POOL_SIZE: '500' })).toThrow(
      /DATABASE_POOL_SIZE: .*must not be greater than 200/,
    );
  });

  it('reads the development switches', () => {
    const config = loadConfig(DispatcherConfig, {
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOW_LOOPBACK: '1',
    });
    expect(config.WEBHOOK_ALLOW_HTTP).toBe(true);
    expect(config.WEBHOOK_ALLOW_LOOPBACK).toBe(true);
  });

  it('has every variable in docs/configuration.md', () => {
    expect(undocumentedVariables(new DispatcherConfig(), 'webhook-dispatcher')).toEqual([]);
  });
});
