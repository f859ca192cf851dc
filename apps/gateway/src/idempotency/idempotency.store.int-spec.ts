import { randomUUID } from 'node:crypto';
import { openGatewayTestDb, type GatewayTestDb } from '../testing/gateway-db.fixture';
import { requestHash, requestHashKey } from './canonical-json';

const hashKey = requestHashKey('a-test-key-of-at-least-32-characters');
import { IdempotencyStore, type IdempotentRequest } from './idempotency.store';
import { ResponseSealer } from './response-sealer';

const OLD_KEY = `old:${'1'.repeat(64)}`;
const NEW_KEY = `new:${'2'.repeat(64)}`;

const STALE_AFTER_MS = 15_000;

describe('IdempotencyStore', () => {
  let db: GatewayTestDb;
  let store: IdempotencyStore;

  beforeAll(async () => {
    db = await openGatewayTestDb();
    store = new IdempotencyStore(db.dataSource, {
      ttlHours: 24,
      staleAfterMs: STALE_AFTER_MS,
      sealer: new ResponseSealer([OLD_KEY]),
    });
  });

  afterAll(async () => {
    await db.close();
  });

  const requestFor = async (
    overrides: Partial<IdempotentRequest> = {},
  ): Promise<IdempotentRequest> => ({
    merchantId: (await db.newMerchant()).merchantId,
    key: randomUUID(),
    method: 'POST',
    path: '/v2/customers',
    requestHash: requestHash({ email: 'a@example.com' }, hashKey),
    ...overrides,
  });

  const age = (request: IdempotentRequest, column: 'locked_at' | 'expires_at', seconds: number) =>
    db.dataSource.query(
      `UPDATE "${db.schema}".idempotency_keys SET ${column} = now() - make_interval(secs => $3)
        WHERE merchant_id = $1 AND key = $2`,
      [request.merchantId, request.key, seconds],
    );

  const claimed = async (request: IdempotentRequest): Promise<string> => {
    const outcome = await store.claim(request);
    if (outcome.kind !== 'claimed') throw new Error(`expected a claim, got ${outcome.kind}`);
    return outcome.lockId;
  };

  it('lets the first request with a key proceed', async () => {
    const outcome = await store.claim(await requestFor());
    expect(outcome.kind).toBe('claimed');
  });

  it('lets exactly one of several concurrent first requests with one key proceed', async () => {
    const request = await requestFor();
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => store.claim(request)));
    const kinds = outcomes.map((outcome) => outcome.kind).sort();
    expect(kinds.filter((kind) => kind === 'claimed')).toHaveLength(1);
    expect(kinds.filter((kind) => kind === 'in_progress')).toHaveLength(7);
  });

  it('answers in_progress to a retry while the first request runs', async () => {
    const request = await requestFor();
    await claimed(request);
    expect(await store.claim(request)).toEqual({ kind: 'in_progress' });
  });

  it('replays the first response, byte for byte, once it is completed', async () => {
    const request = await requestFor();
    const lockId = await claimed(request);
    const body = '{"id":"cust_1","object":"customer","metadata":{"b":"1","a":"2"}}';
    expect(await store.complete(request, lockId, 200, body)).toBe(true);
    expect(await store.claim(request)).toEqual({ kind: 'completed', status: 200, body });
  });

  it('refuses the key for another body, path or method', async () => {
    const request = await requestFor();
    const lockId = await claimed(request);
    await store.complete(request, lockId, 200, '{}');
    for (const other of [
      { requestHash: requestHash({ email: 'b@example.com' }, hashKey) },
      { path: '/v2/payments' },
      { method: 'PUT' },
    ]) {
      expect(await store.claim({ ...request, ...other })).toEqual({ kind: 'mismatch' });
    }
  });

  it('scopes keys to the merchant', async () => {
    const request = await requestFor();
    await claimed(request);
    const other = await requestFor({ key: request.key });
    expect(other.merchantId).not.toBe(request.merchantId);
    expect((await store.claim(other)).kind).toBe('claimed');
  });

  it('forgets a released key, so a retry runs afresh', async () => {
    const request = await requestFor();
    await store.release(request, await claimed(request));
    expect((await store.claim(request)).kind).toBe('claimed');
  });

  it('lets the same request take over a stale in_progress record', async () => {
    const request = await requestFor();
    const firstLock = await claimed(request);
    await age(request, 'locked_at', STALE_AFTER_MS / 1000 + 1);
    const secondLock = await claimed(request);
    expect(secondLock).not.toBe(firstLock);
    // The first request, if it ever finishes, no longer owns the record.
    expect(await store.complete(request, firstLock, 200, '{"late":true}')).toBe(false);
    await store.release(request, firstLock);
    expect(await store.claim(request)).toEqual({ kind: 'in_progress' });
  });

  it('does not let another request take over a stale record', async () => {
    const request = await requestFor();
    await claimed(request);
    await age(request, 'locked_at', STALE_AFTER_MS / 1000 + 1);
    const other = { ...request, requestHash: requestHash({ email: 'b@example.com' }, hashKey) };
    expect(await store.claim(other)).toEqual({ kind: 'mismatch' });
  });

  it('never takes over a completed record before it expires', async () => {
    const request = await requestFor();
    await store.complete(request, await claimed(request), 200, '{"first":true}');
    await age(request, 'locked_at', 3600);
    expect(await store.claim(request)).toMatchObject({ kind: 'completed', body: '{"first":true}' });
  });

  it('treats an expired record as a new key, and sweeps expired records', async () => {
    const expired = await requestFor();
    await store.complete(expired, await claimed(expired), 200, '{}');
    await age(expired, 'expires_at', 1);
    const live = await requestFor();
    await store.complete(live, await claimed(live), 200, '{}');

    const other = { ...expired, requestHash: requestHash({ email: 'new@example.com' }, hashKey) };
    expect((await store.claim(other)).kind).toBe('claimed');
    await age(expired, 'expires_at', 1);

    expect(await store.deleteExpired()).toBeGreaterThanOrEqual(1);
    const rows = await db.dataSource.query<{ key: string }[]>(
      `SELECT key FROM "${db.schema}".idempotency_keys WHERE key = ANY($1)`,
      [[expired.key, live.key]],
    );
    expect(rows.map((row) => row.key)).toEqual([live.key]);
  });

  describe('kept responses', () => {
    const secretBody = '{"id":"whk_1","secret":"whsec_c2VjcmV0LXNpZ25pbmcta2V5LWJ5dGVz"}';

    const rowOf = async (request: IdempotentRequest) =>
      (
        await db.dataSource.query<Record<string, unknown>[]>(
          `SELECT * FROM "${db.schema}".idempotency_keys WHERE merchant_id = $1 AND key = $2`,
          [request.merchantId, request.key],
        )
      )[0];

    it('are stored encrypted, with the id of their key', async () => {
      const request = await requestFor();
      await store.complete(request, await claimed(request), 200, secretBody);
      const row = await rowOf(request);
      expect(row?.response_key_id).toBe('old');
      expect(row?.response_body).toBeNull();
      const stored = JSON.stringify(row) + (row?.response_sealed as Buffer).toString('latin1');
      expect(stored).not.toContain('whsec_');
      expect(await store.claim(request)).toEqual({
        kind: 'completed',
        status: 200,
        body: secretBody,
      });
    });

    it('open with a former key after a rotation', async () => {
      const request = await requestFor();
      await store.complete(request, await claimed(request), 200, secretBody);
      const rotated = new IdempotencyStore(db.dataSource, {
        ttlHours: 24,
        staleAfterMs: STALE_AFTER_MS,
        sealer: new ResponseSealer([NEW_KEY, OLD_KEY]),
      });
      expect(await rotated.claim(request)).toMatchObject({ kind: 'completed', body: secretBody });
      const next = await requestFor();
      const outcome = await rotated.claim(next);
      if (outcome.kind !== 'claimed') throw new Error(`expected a claim, got ${outcome.kind}`);
      await rotated.complete(next, outcome.lockId, 200, '{}');
      expect((await rowOf(next))?.response_key_id).toBe('new');
    });

    it('cannot be moved to another record', async () => {
      const first = await requestFor();
      const second = await requestFor();
      await store.complete(first, await claimed(first), 200, secretBody);
      await store.complete(second, await claimed(second), 200, '{}');
      await db.dataSource.query(
        `UPDATE "${db.schema}".idempotency_keys
            SET response_sealed = (SELECT response_sealed FROM "${db.schema}".idempotency_keys
                                    WHERE merchant_id = $1 AND key = $2)
          WHERE merchant_id = $3 AND key = $4`,
        [first.merchantId, first.key, second.merchantId, second.key],
      );
      await expect(store.claim(second)).rejects.toThrow();
    });
  });

  describe('forgetResource', () => {
    const rowOf = async (request: IdempotentRequest) =>
      (
        await db.dataSource.query<Record<string, unknown>[]>(
          `SELECT key FROM "${db.schema}".idempotency_keys WHERE merchant_id = $1 AND key = $2`,
          [request.merchantId, request.key],
        )
      )[0];

    it("deletes the merchant's kept responses that returned the resource, and no others", async () => {
      const request = await requestFor();
      const { merchantId } = request;
      const customerId = `cust_${randomUUID().replaceAll('-', '')}`;
      const otherId = `cust_${randomUUID().replaceAll('-', '')}`;
      const reply = (id: string) =>
        JSON.stringify({ id, object: 'customer', email: 'a@example.com' });
      await store.complete(request, await claimed(request), 200, reply(customerId));
      const other = await requestFor({ merchantId });
      await store.complete(other, await claimed(other), 200, reply(otherId));
      // Another merchant's record naming the same id (ids are unique; the scope is the point).
      const foreign = await requestFor();
      await store.complete(foreign, await claimed(foreign), 200, reply(customerId));
      const failed = await requestFor({ merchantId });
      await store.complete(failed, await claimed(failed), 400, '{"error":{"code":"x"}}');

      expect(await store.forgetResource(merchantId, customerId)).toBe(1);
      expect(await rowOf(request)).toBeUndefined();
      expect(await rowOf(other)).toBeDefined();
      expect(await rowOf(foreign)).toBeDefined();
      expect(await rowOf(failed)).toBeDefined();
      // The key is free again: a retry runs afresh.
      expect(await store.claim(request)).toMatchObject({ kind: 'claimed' });
    });
  });
});
