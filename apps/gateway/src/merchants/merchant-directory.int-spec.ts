import { ApiKeyAuthenticator, AUTH_CACHE_TTL_MS } from '../auth/api-key.authenticator';
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

  it('refuses a revoked key once the cache interval has passed', async () => {
    const { merchantId, apiKey, keyId } = await db.newMerchant();
    const authenticator = new ApiKeyAuthenticator(db.directory);
    const now = Date.now();
    expect((await authenticator.authenticate(apiKey, now))?.merchantId).toBe(merchantId);
    await db.directory.revokeKey(keyId);
    expect(await authenticator.authenticate(apiKey, now + AUTH_CACHE_TTL_MS + 1)).toBeUndefined();
  });

  it('resolves an unknown key to nothing', async () => {
    const authenticator = new ApiKeyAuthenticator(db.directory);
    expect(await authenticator.authenticate(`${API_KEY_PREFIX}${'a'.repeat(32)}`)).toBeUndefined();
  });
});
