import {
  API_KEY_PREFIX,
  credentialsOf,
  digestsEqual,
  displayPrefixOf,
  generateApiKey,
  hashApiKey,
  isWellFormedApiKey,
} from './api-key';

describe('API keys', () => {
  it('are sk_test_ followed by at least 128 bits of base62', () => {
    const key = generateApiKey();
    expect(key).toMatch(/^sk_test_[0-9A-Za-z]+$/);
    const secretLength = key.length - API_KEY_PREFIX.length;
    expect(secretLength * Math.log2(62)).toBeGreaterThanOrEqual(128);
    expect(isWellFormedApiKey(key)).toBe(true);
  });

  it('are never generated twice', () => {
    const keys = new Set(Array.from({ length: 1000 }, generateApiKey));
    expect(keys.size).toBe(1000);
  });

  it('use every base62 character', () => {
    const secrets = Array.from({ length: 200 }, () =>
      generateApiKey().slice(API_KEY_PREFIX.length),
    );
    const seen = new Set(secrets.join(''));
    expect(seen.size).toBe(62);
  });

  it('are stored as a SHA-256 digest that does not contain the key', () => {
    const key = generateApiKey();
    const digest = hashApiKey(key);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(digest).not.toContain(key.slice(API_KEY_PREFIX.length));
    expect(hashApiKey(key)).toBe(digest);
  });

  it('show only a short prefix of the secret', () => {
    expect(displayPrefixOf('sk_test_AbCdEfGhIjKlMnOpQrStUvWxYz012345')).toBe('sk_test_AbCd');
  });

  it('compare digests equal only when they are the same', () => {
    const digest = hashApiKey('sk_test_a');
    expect(digestsEqual(digest, hashApiKey('sk_test_a'))).toBe(true);
    expect(digestsEqual(digest, hashApiKey('sk_test_b'))).toBe(false);
    expect(digestsEqual(digest, digest.slice(0, 10))).toBe(false);
    expect(digestsEqual('', '')).toBe(false);
  });
});

describe('credentialsOf', () => {
  const key = generateApiKey();

  it('reads a bearer key, whatever the case of the scheme', () => {
    expect(credentialsOf(`Bearer ${key}`)).toEqual({ kind: 'api_key', key });
    expect(credentialsOf(`bearer ${key}`)).toEqual({ kind: 'api_key', key });
  });

  it('reports a missing or empty header as missing', () => {
    expect(credentialsOf(undefined)).toEqual({ kind: 'missing' });
    expect(credentialsOf('  ')).toEqual({ kind: 'missing' });
  });

  it.each([
    ['another scheme', `Basic ${key}`],
    ['no key', 'Bearer'],
    ['no key after the scheme', 'Bearer '],
    ['a key of another format', 'Bearer pk_live_123'],
    ['two tokens', `Bearer ${key} ${key}`],
    ['a key without the scheme', key],
    ['a key with non-ASCII letters', `Bearer sk_test_${'é'.repeat(30)}`],
  ])('reports %s as malformed', (_case, header) => {
    expect(credentialsOf(header)).toEqual({ kind: 'malformed' });
  });
});
