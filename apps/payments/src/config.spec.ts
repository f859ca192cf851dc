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

  it('refuses to start in production without a fingerprint key of its own', () => {
    const attempt = () => loadConfig(PaymentsConfig, { NODE_ENV: 'production' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/CARD_FINGERPRINT_KEY: must be set when NODE_ENV=production/);
  });

  it('refuses to start in production without a card transit key of its own', () => {
    const attempt = () =>
      loadConfig(PaymentsConfig, { NODE_ENV: 'production', CARD_FINGERPRINT_KEY: 'k'.repeat(32) });
    expect(attempt).toThrow(/CARD_TRANSIT_KEY: must be set when NODE_ENV=production/);
  });

  it('accepts production keys of at least 32 characters, and refuses a short one', () => {
    const key = 'k'.repeat(32);
    const config = loadConfig(PaymentsConfig, {
      NODE_ENV: 'production',
      CARD_FINGERPRINT_KEY: key,
      CARD_TRANSIT_KEY: 't'.repeat(32),
    });
    expect(config.CARD_FINGERPRINT_KEY).toBe(key);
    expect(config.CARD_TRANSIT_KEY).toBe('t'.repeat(32));
    expect(() => loadConfig(PaymentsConfig, { CARD_FINGERPRINT_KEY: 'short' })).toThrow(
      /CARD_FINGERPRINT_KEY/,
    );
  });

  it('has every variable in the README', () => {
    expect(undocumentedVariables(new PaymentsConfig())).toEqual([]);
  });
});
