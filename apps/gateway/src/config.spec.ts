import { ConfigError, DatabaseConfig, loadConfig, ServiceConfig } from '@finfusion/config';
import { GatewayConfig } from './config';
import { undocumentedVariables } from '@finfusion/testing';

describe('GatewayConfig', () => {
  it('has the documented defaults', () => {
    expect(loadConfig(GatewayConfig, {})).toMatchObject({
      PORT: 3000,
      REQUEST_TIMEOUT_MS: 10_000,
      BODY_LIMIT_BYTES: 65_536,
      RATE_LIMIT_REQUESTS: 100,
      RATE_LIMIT_WINDOW_MS: 1000,
      IDEMPOTENCY_TTL_HOURS: 24,
      AUTH_FAILURE_LIMIT: 30,
      AUTH_FAILURE_WINDOW_MS: 10_000,
      AUTH_LOOKUPS_PER_SECOND: 200,
      TRUSTED_PROXIES: [],
      HTTP_RECEIVE_TIMEOUT_MS: 10_000,
      HTTP_HEADERS_TIMEOUT_MS: 5000,
      HTTP_KEEP_ALIVE_TIMEOUT_MS: 72_000,
      HTTP_IDLE_TIMEOUT_MS: 75_000,
      SHUTDOWN_TIMEOUT_MS: 25_000,
    });
  });

  it('drains for longer than a request may take to arrive and be answered', () => {
    const config = loadConfig(GatewayConfig, {});
    expect(config.SHUTDOWN_TIMEOUT_MS).toBeGreaterThan(
      config.HTTP_RECEIVE_TIMEOUT_MS + config.REQUEST_TIMEOUT_MS,
    );
    expect(() => loadConfig(GatewayConfig, { REQUEST_TIMEOUT_MS: '20000' })).toThrow(
      /SHUTDOWN_TIMEOUT_MS: must be greater than HTTP_RECEIVE_TIMEOUT_MS \+ REQUEST_TIMEOUT_MS/,
    );
    expect(
      loadConfig(GatewayConfig, { REQUEST_TIMEOUT_MS: '20000', SHUTDOWN_TIMEOUT_MS: '31000' })
        .SHUTDOWN_TIMEOUT_MS,
    ).toBe(31_000);
  });

  it('drains for longer than the services do, whose drain outlasts its request timeout', () => {
    const gateway = loadConfig(GatewayConfig, {});
    const service = loadConfig(ServiceConfig, {});
    expect(service.SHUTDOWN_TIMEOUT_MS).toBeGreaterThan(gateway.REQUEST_TIMEOUT_MS);
    expect(gateway.SHUTDOWN_TIMEOUT_MS).toBeGreaterThan(service.SHUTDOWN_TIMEOUT_MS);
  });

  it.each([
    [{ HTTP_HEADERS_TIMEOUT_MS: '20000' }, /HTTP_HEADERS_TIMEOUT_MS/],
    [{ HTTP_IDLE_TIMEOUT_MS: '9000' }, /HTTP_IDLE_TIMEOUT_MS/],
    [{ HTTP_IDLE_TIMEOUT_MS: '60000' }, /HTTP_IDLE_TIMEOUT_MS: .*HTTP_KEEP_ALIVE_TIMEOUT_MS/],
  ])('refuses timeouts out of order: %p', (env, variable) => {
    expect(() => loadConfig(GatewayConfig, env)).toThrow(variable);
  });

  it('reads trusted proxies as a list of addresses and CIDR ranges', () => {
    const config = loadConfig(GatewayConfig, {
      TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.7,fd00::/8 , ::1',
    });
    expect(config.TRUSTED_PROXIES).toEqual(['10.0.0.0/8', '192.168.1.7', 'fd00::/8', '::1']);
  });

  it.each(['10.0.0.0/33', 'proxy.internal', '10.0.0.1/8/8', '::1/129', '10.0.0/8'])(
    'refuses %p as a trusted proxy',
    (proxy) => {
      expect(() => loadConfig(GatewayConfig, { TRUSTED_PROXIES: proxy })).toThrow(
        /TRUSTED_PROXIES/,
      );
    },
  );

  it('reads numbers from the environment', () => {
    const config = loadConfig(GatewayConfig, {
      REQUEST_TIMEOUT_MS: '5000',
      RATE_LIMIT_REQUESTS: '40',
      BODY_LIMIT_BYTES: '1048576',
    });
    expect(config.REQUEST_TIMEOUT_MS).toBe(5000);
    expect(config.RATE_LIMIT_REQUESTS).toBe(40);
    expect(config.BODY_LIMIT_BYTES).toBe(1_048_576);
  });

  it('stops at boot on a bad value, naming the variable', () => {
    const attempt = () =>
      loadConfig(GatewayConfig, { REQUEST_TIMEOUT_MS: 'soon', IDEMPOTENCY_TTL_HOURS: '0' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/REQUEST_TIMEOUT_MS/);
    expect(attempt).toThrow(/IDEMPOTENCY_TTL_HOURS/);
  });

  it('reads idempotency encryption keys as <id>:<secret> items, first one first', () => {
    const first = `k2:${'ab'.repeat(32)}`;
    const second = `k1:${'cd'.repeat(32)}`;
    const config = loadConfig(GatewayConfig, { IDEMPOTENCY_ENCRYPTION_KEYS: `${first},${second}` });
    expect(config.IDEMPOTENCY_ENCRYPTION_KEYS).toEqual([first, second]);
    expect(() => loadConfig(GatewayConfig, { IDEMPOTENCY_ENCRYPTION_KEYS: 'short:abc' })).toThrow(
      /IDEMPOTENCY_ENCRYPTION_KEYS/,
    );
  });

  it('refuses the development idempotency key, or a weak one, in production', () => {
    const production = {
      NODE_ENV: 'production',
      CARD_TRANSIT_KEY: '9f1c2e7a4b6d8f0a1c3e5b7d9f2a4c6e8b0d2f4a6c8e1b3d5f7a9c2e4b6d8f0a',
      REQUEST_SIGNING_KEYS: 'r1:3c8e1b5d7f9a2c4e6b8d0f1a3c5e7b9d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e',
    };
    expect(() => loadConfig(GatewayConfig, production)).toThrow(/IDEMPOTENCY_ENCRYPTION_KEYS/);
    expect(() =>
      loadConfig(GatewayConfig, {
        ...production,
        IDEMPOTENCY_ENCRYPTION_KEYS: `k1:${'a'.repeat(64)}`,
      }),
    ).toThrow(/IDEMPOTENCY_ENCRYPTION_KEYS/);
    const strong = `k1:8e3b5d7f9a1c2e4b6d8f0a3c5e7b9d1f2a4c6e8b0d3f5a7c9e1b2d4f6a8c0e3b`;
    expect(
      loadConfig(GatewayConfig, { ...production, IDEMPOTENCY_ENCRYPTION_KEYS: strong })
        .IDEMPOTENCY_ENCRYPTION_KEYS,
    ).toEqual([strong]);
  });

  it('has every variable in docs/configuration.md', () => {
    expect(undocumentedVariables(new GatewayConfig(), 'gateway')).toEqual([]);
  });

  it("documents the migrate commands' variables in docs/configuration.md", () => {
    expect(undocumentedVariables(new DatabaseConfig(), 'Migrate commands')).toEqual([]);
  });
});
