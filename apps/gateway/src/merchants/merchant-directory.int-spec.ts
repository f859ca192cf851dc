import { randomBytes } from 'node:crypto';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { loadConfig } from '@finfusion/config';
import { ApiKeyAuthenticator, AUTH_CACHE_TTL_MS } from '../auth/api-key.authenticator';
import { GatewayConfig } from '../config';
import { AuthAttemptLimiter } from '../rate-limit/auth-attempt-limiter';
import { API_KEY_PREFIX, hashApiKey } from '../auth/api-key';
import { openGatewayTestDb, type GatewayTestDb } from '../testing/gateway-db.fixture';

describe('MerchantDirectory', () => {
  let db: GatewayTestDb;

  beforeAll(async () => {
    db = await openGatewayTestDb();
  });

  afterAll(async () => {
    await db.close();
  });

  it('creates a merchant with a key that resolves to it', async () => {
    const { merchant, key } = await db.directory.createMerchant('  Acme Inc  ');
    expect(merchant.id).toMatch(/^mer_/);
    expect(merchant.name).toBe('Acme Inc');
    expect(key.api_key.startsWith(API_KEY_PREFIX)).toBe(true);
    expect(await db.directory.findActiveKey(hashApiKey(key.api_key))).toEqual({
      keyId: key.key_id,
      merchantId: merchant.id,
    });
  });

  it('stores only the digest of a key, and lists keys without it', async () => {
    const { merchantId, apiKey } = await db.newMerchant();
    const rows = await db.dataSource.query<Record<string, unknown>[]>(
      `SELECT * FROM "${db.schema}".api_keys WHERE merchant_id = $1`,
      [merchantId],
    );
    expect(JSON.stringify(rows)).not.toContain(apiKey.slice(API_KEY_PREFIX.length + 4));
    expect(rows[0]?.key_hash).toBe(hashApiKey(apiKey));
    const listed = JSON.stringify(await db.directory.listKeys(merchantId));
    expect(listed).not.toContain(apiKey);
    expect(listed).not.toContain(hashApiKey(apiKey));
  });

  it('refuses an empty or overlong merchant name', async () => {
    await expect(db.directory.createMerchant('   ')).rejects.toThrow(RangeError);
    await expect(db.directory.createMerchant('x'.repeat(201))).rejects.toThrow(RangeError);
  });

  it('adds keys to a merchant, and only to one that exists', async () => {
    const { merchantId } = await db.newMerchant();
    const second = await db.directory.addKey(merchantId);
    expect(second?.merchant_id).toBe(merchantId);
    expect(await db.directory.listKeys(merchantId)).toHaveLength(2);
    expect(await db.directory.addKey('mer_nobody')).toBeUndefined();
    expect(await db.directory.listKeys('mer_nobody')).toBeUndefined();
  });

  it('revokes a key once, and says when there is no such key', async () => {
    const { apiKey, keyId } = await db.newMerchant();
    expect(await db.directory.revokeKey(keyId)).toBe('revoked');
    expect(await db.directory.revokeKey(keyId)).toBe('already_revoked');
    expect(await db.directory.revokeKey('key_nothing')).toBe('not_found');
    expect(await db.directory.findActiveKey(hashApiKey(apiKey))).toBeUndefined();
  });

  it('counts active keys per merchant in the list', async () => {
    const { merchantId, keyId } = await db.newMerchant();
    await db.directory.addKey(merchantId);
    await db.directory.revokeKey(keyId);
    const listed = (await db.directory.listMerchants()).find((m) => m.id === merchantId);
    expect(listed?.active_keys).toBe(1);
  });
});

describe('ApiKeyAuthenticator', () => {
  let db: GatewayTestDb;

  beforeAll(async () => {
    db = await openGatewayTestDb();
  });

  afterAll(async () => {
    await db.close();
  });

  // Budgets as small as a test can exhaust: 3 failures per client, 5 unknown-key lookups a second.
  const authenticatorWith = (env: Record<string, string> = {}) => {
    const config = loadConfig(GatewayConfig, {
      AUTH_FAILURE_LIMIT: '3',
      AUTH_FAILURE_WINDOW_MS: '60000',
      AUTH_LOOKUPS_PER_SECOND: '5',
      ...env,
    });
    const limiter = new AuthAttemptLimiter(new ThrottlerStorageService(), config);
    return new ApiKeyAuthenticator(db.directory, limiter);
  };
  const madeUpKey = () => `${API_KEY_PREFIX}${randomBytes(24).toString('hex')}`;

  it('refuses a revoked key once the cache interval has passed', async () => {
    const { merchantId, apiKey, keyId } = await db.newMerchant();
    const authenticator = authenticatorWith();
    const now = Date.now();
    expect(await authenticator.authenticate(apiKey, '10.0.0.1', now)).toMatchObject({
      outcome: 'authenticated',
      key: { merchantId },
    });
    await db.directory.revokeKey(keyId);
    expect(
      await authenticator.authenticate(apiKey, '10.0.0.1', now + AUTH_CACHE_TTL_MS + 1),
    ).toEqual({ outcome: 'refused' });
  });

  it('resolves an unknown key to nothing', async () => {
    expect(await authenticatorWith().authenticate(madeUpKey(), '10.0.0.1')).toEqual({
      outcome: 'refused',
    });
  });

  it("throttles a client's failed authentications without looking the next key up", async () => {
    const authenticator = authenticatorWith();
    const lookups = jest.spyOn(db.directory, 'findActiveKey');
    for (let i = 0; i < 3; i++) {
      expect((await authenticator.authenticate(madeUpKey(), '10.0.0.2')).outcome).toBe('refused');
    }
    expect(lookups).toHaveBeenCalledTimes(3);
    const throttled = await authenticator.authenticate(madeUpKey(), '10.0.0.2');
    expect(throttled.outcome).toBe('throttled');
    expect(throttled.outcome === 'throttled' && throttled.retryAfterSeconds).toBeGreaterThan(0);
    expect(lookups).toHaveBeenCalledTimes(3);
    // Another address has a budget of its own.
    expect((await authenticator.authenticate(madeUpKey(), '10.0.0.3')).outcome).toBe('refused');
    lookups.mockRestore();
  });

  it('bounds the lookups of unknown keys from all addresses together', async () => {
    const authenticator = authenticatorWith({ AUTH_LOOKUPS_PER_SECOND: '5' });
    const outcomes = [];
    for (let i = 0; i < 8; i++) {
      outcomes.push((await authenticator.authenticate(madeUpKey(), `10.1.0.${i}`)).outcome);
    }
    expect(outcomes.filter((outcome) => outcome === 'refused')).toHaveLength(5);
    expect(outcomes.filter((outcome) => outcome === 'throttled')).toHaveLength(3);
  });

  it('keeps authenticating known keys while made-up keys flood in, whatever the budgets', async () => {
    const { merchantId, apiKey } = await db.newMerchant();
    // Budgets large enough that every made-up key is looked up and remembered as unknown.
    const authenticator = authenticatorWith({ AUTH_LOOKUPS_PER_SECOND: '1000000' });
    const now = Date.now();
    expect((await authenticator.authenticate(apiKey, '10.0.0.4', now)).outcome).toBe(
      'authenticated',
    );
    // More made-up keys than either cache holds: the known key stays known.
    for (let i = 0; i < 10_050; i++) {
      await authenticator.authenticate(madeUpKey(), `10.2.${i >> 8}.${i & 255}`, now);
    }
    const lookups = jest.spyOn(db.directory, 'findActiveKey');
    expect(await authenticator.authenticate(apiKey, '10.0.0.4', now + 1)).toMatchObject({
      outcome: 'authenticated',
      key: { merchantId },
    });
    expect(lookups).not.toHaveBeenCalled();
    // Once its cache interval has passed it is checked again, even with every budget spent.
    expect(
      await authenticator.authenticate(apiKey, '10.0.0.4', now + AUTH_CACHE_TTL_MS + 1),
    ).toMatchObject({ outcome: 'authenticated' });
    expect(lookups).toHaveBeenCalledTimes(1);
    lookups.mockRestore();
  });

  it('refuses a key it just failed to find without looking it up again', async () => {
    const authenticator = authenticatorWith();
    const key = madeUpKey();
    const now = Date.now();
    await authenticator.authenticate(key, '10.0.0.5', now);
    const lookups = jest.spyOn(db.directory, 'findActiveKey');
    expect((await authenticator.authenticate(key, '10.0.0.5', now + 1)).outcome).toBe('refused');
    expect(lookups).not.toHaveBeenCalled();
    lookups.mockRestore();
  });
});
