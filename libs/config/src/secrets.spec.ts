import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { IsString } from 'class-validator';
import { ConfigError, ListFromEnv, loadConfig } from './load-config';
import { DEVELOPMENT_CARD_TRANSIT_KEY, SecretKey, decodeKey, weakKeyReason } from './secrets';
import { ServiceConfig } from './service.config';

class KeyedConfig extends ServiceConfig {
  @IsString()
  @SecretKey()
  SIGNING_KEY: string = DEVELOPMENT_CARD_TRANSIT_KEY;

  @ListFromEnv()
  @SecretKey({ each: true })
  OLD_SIGNING_KEYS: string[] = [];
}

const strongHex = () => randomBytes(32).toString('hex');
const strongBase64 = () => randomBytes(32).toString('base64');

describe('production keys', () => {
  it('accepts 32 random bytes in hex, base64 and base64url', () => {
    for (const key of [strongHex(), strongBase64(), randomBytes(32).toString('base64url')]) {
      expect(weakKeyReason(key)).toBeUndefined();
      expect(decodeKey(key)).toHaveLength(32);
    }
  });

  it.each([
    ['too short', randomBytes(16).toString('hex')],
    ['too long', randomBytes(48).toString('base64')],
    ['not an encoding', 'x'.repeat(64)],
    ['a placeholder', 'CHANGE-ME-0123456789abcdef0123456789abcdef0123456789ab'],
    ['text written as hex', Buffer.from('a-very-memorable-passphrase-1234').toString('hex')],
    ['a repeated pattern', '01020304'.repeat(8)],
    ['the development default', DEVELOPMENT_CARD_TRANSIT_KEY],
  ])('refuses %s', (_case, key) => {
    expect(weakKeyReason(key)).toEqual(expect.any(String));
  });

  it('refuses every key value written in the repository', () => {
    const root = path.resolve(__dirname, '..', '..', '..');
    const files = [
      'docker-compose.yml',
      ...['infra/k8s', 'infra/dev', 'libs/testing/src'].flatMap((dir) =>
        fs
          .readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
          .map((name) => path.join(dir, name)),
      ),
      ...['gateway', 'payments', 'customers', 'webhook-dispatcher'].map(
        (app) => `apps/${app}/src/config.ts`,
      ),
    ].filter((file) => fs.statSync(path.join(root, file)).isFile());
    const written = new Set(
      files.flatMap((file) =>
        [
          ...fs
            .readFileSync(path.join(root, file), 'utf8')
            .matchAll(/\b[0-9a-f]{64}\b|CHANGE-ME[\w-]*|(?:development|test)-only[\w-]*/g),
        ].map(([value]) => value),
      ),
    );
    expect(written.size).toBeGreaterThanOrEqual(5);
    for (const value of written)
      expect([value, weakKeyReason(value)]).toEqual([value, expect.any(String)]);
  });
});

describe('SecretKey', () => {
  it('takes any key of 32 characters or more outside production, defaults included', () => {
    expect(loadConfig(KeyedConfig, {}).SIGNING_KEY).toBe(DEVELOPMENT_CARD_TRANSIT_KEY);
    expect(() => loadConfig(KeyedConfig, { SIGNING_KEY: 'short' })).toThrow(
      /SIGNING_KEY: must be at least 32 characters \(value hidden\)/,
    );
  });

  it('refuses the default and weak keys in production, naming why without the value', () => {
    const weak = Buffer.from('a-very-memorable-passphrase-1234').toString('hex');
    const attempt = () =>
      loadConfig(KeyedConfig, {
        NODE_ENV: 'production',
        OLD_SIGNING_KEYS: `${strongHex()},${weak}`,
      });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/SIGNING_KEY: is a placeholder or example value/);
    expect(attempt).toThrow(/OLD_SIGNING_KEYS: decodes to readable text/);
    expect(attempt).not.toThrow(new RegExp(weak));
  });

  it('starts production with strong keys', () => {
    const config = loadConfig(KeyedConfig, {
      NODE_ENV: 'production',
      SIGNING_KEY: strongBase64(),
      OLD_SIGNING_KEYS: `${strongHex()}, ${strongBase64()}`,
    });
    expect(config.OLD_SIGNING_KEYS).toHaveLength(2);
  });
});
