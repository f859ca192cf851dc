import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '@finfusion/config';
import { DEVELOPMENT_FINGERPRINT_KEY, PaymentsConfig } from './config';
import { undocumentedVariables } from '@finfusion/testing';

describe('PaymentsConfig', () => {
  it('starts in development with nothing set', () => {
    const config = loadConfig(PaymentsConfig, {});
    expect(config.PORT).toBe(3001);
    expect(config.CARD_FINGERPRINT_KEY).toBe(DEVELOPMENT_FINGERPRINT_KEY);
    expect(config.RELAY_POLL_MS).toBe(5000);
  });

  it('refuses to start in production with the development keys', () => {
    const attempt = () => loadConfig(PaymentsConfig, { NODE_ENV: 'production' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/CARD_FINGERPRINT_KEY: is a placeholder or example value/);
    expect(attempt).toThrow(/CARD_TRANSIT_KEY: is a placeholder or example value/);
    expect(attempt).toThrow(/REQUEST_SIGNING_KEYS: key 'development' is a placeholder/);
  });

  it('takes 32 random bytes per key in production, and previous transit keys for a rotation', () => {
    const [fingerprint, transit, previous] = [1, 2, 3].map(() =>
      randomBytes(32).toString('base64'),
    );
    const config = loadConfig(PaymentsConfig, {
      NODE_ENV: 'production',
      CARD_FINGERPRINT_KEY: fingerprint,
      CARD_TRANSIT_KEY: transit,
      CARD_TRANSIT_PREVIOUS_KEYS: previous,
      REQUEST_SIGNING_KEYS: `r1:${randomBytes(32).toString('hex')}`,
    });
    expect(config.CARD_FINGERPRINT_KEY).toBe(fingerprint);
    expect(config.CARD_TRANSIT_PREVIOUS_KEYS).toEqual([previous]);
    expect(() =>
      loadConfig(PaymentsConfig, {
        NODE_ENV: 'production',
        CARD_FINGERPRINT_KEY: 'k'.repeat(32),
        CARD_TRANSIT_KEY: transit,
      }),
    ).toThrow(/CARD_FINGERPRINT_KEY: must be 32 random bytes/);
  });

  it('has every variable in docs/configuration.md', () => {
    expect(undocumentedVariables(new PaymentsConfig(), 'payments')).toEqual([]);
  });
});
