import { randomUUID } from 'node:crypto';
import { api, createMerchant, query, type ApiClient } from '@finfusion/testing';
import type { Customer } from '@finfusion/contracts';
import { expectApiError } from '../support/http-expectations.fixture';

describe('Idempotency-Key on POST', () => {
  let client: ApiClient;
  let merchantId: string;

  beforeAll(async () => {
    const merchant = await createMerchant();
    client = api(merchant.apiKey);
    merchantId = merchant.merchantId;
  });

  /** Everything the gateway's table holds for the key, as text. */
  const storedRecord = async (key: string): Promise<string> => {
    const rows = await query(
      `SELECT *, encode(response_sealed, 'escape') AS sealed_text FROM gateway.idempotency_keys
        WHERE merchant_id = $1 AND key = $2`,
      [merchantId, key],
    );
    expect(rows).toHaveLength(1);
    return JSON.stringify(rows);
  };

  const withKey = (key: string) => ({ 'idempotency-key': key });

  it('replays the first response for the same key and body, marked Idempotent-Replayed', async () => {
    const key = randomUUID();
    const first = await client.post(
      '/v2/customers',
      { email: 'once@example.com', name: 'Once' },
      withKey(key),
    );
    expect(first.status).toBe(200);
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    // The same body with its keys in another order is the same request.
    const second = await client.post(
      '/v2/customers',
      { name: 'Once', email: 'once@example.com' },
      withKey(key),
    );
    expect(second.status).toBe(200);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.text).toBe(first.text);
    expect(second.headers['request-id']).not.toBe(first.headers['request-id']);

    const list = (await client.get('/v2/customers?email=once@example.com')).body as {
      data: Customer[];
    };
    expect(list.data).toHaveLength(1);
  });

  it('refuses the same key with a different body with 400 idempotency_error', async () => {
    const key = randomUUID();
    expect(
      (await client.post('/v2/customers', { email: 'a@example.com' }, withKey(key))).status,
    ).toBe(200);
    expectApiError(
      await client.post('/v2/customers', { email: 'b@example.com' }, withKey(key)),
      400,
      {
        type: 'idempotency_error',
        code: 'idempotency_key_reused',
      },
    );
  });

  it('refuses the same key on another URL', async () => {
    const key = randomUUID();
    expect(
      (await client.post('/v2/customers', { email: 'a@example.com' }, withKey(key))).status,
    ).toBe(200);
    expectApiError(
      await client.post('/v2/customers?source=retry', { email: 'a@example.com' }, withKey(key)),
      400,
      { code: 'idempotency_key_reused' },
    );
  });

  // Whether a retry meets the first request still running depends on timing here; the payments
  // e2e holds a first request open on purpose and proves the 409 deterministically.
  it('creates one customer for concurrent requests with one key: the others replay it or get 409', async () => {
    const key = randomUUID();
    const email = `race-${key}@example.com`;
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => client.post('/v2/customers', { email }, withKey(key))),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    for (const conflict of responses.filter((r) => r.status === 409)) {
      expectApiError(conflict, 409, { type: 'idempotency_error', code: 'idempotency_key_in_use' });
    }
    const ids = new Set(
      responses.filter((r) => r.status === 200).map((r) => (r.body as Customer).id),
    );
    expect(ids.size).toBe(1);
    const list = (await client.get(`/v2/customers?email=${encodeURIComponent(email)}`)).body as {
      data: Customer[];
    };
    expect(list.data).toHaveLength(1);
  });

  it('scopes keys to the merchant', async () => {
    const key = randomUUID();
    const other = api((await createMerchant()).apiKey);
    const mine = await client.post('/v2/customers', { email: 'a@example.com' }, withKey(key));
    const theirs = await other.post('/v2/customers', { email: 'b@example.com' }, withKey(key));
    expect(mine.status).toBe(200);
    expect(theirs.status).toBe(200);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect((theirs.body as Customer).id).not.toBe((mine.body as Customer).id);
  });

  it('keeps nothing for a request that failed validation, so the key can be used again', async () => {
    const key = randomUUID();
    expectApiError(await client.post('/v2/customers', { email: 'nope' }, withKey(key)), 400, {
      code: 'parameter_invalid',
    });
    const retry = await client.post('/v2/customers', { email: 'fixed@example.com' }, withKey(key));
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
  });

  it.each([
    ['too long', 'k'.repeat(256)],
    ['not ASCII', 'clé'],
    ['empty', ''],
  ])('refuses a key that is %s with 400', async (_case, key) => {
    const response = await client.raw('POST', '/v2/customers', '{"email":"a@example.com"}', {
      'content-type': 'application/json',
      'idempotency-key': key,
    });
    expectApiError(response, 400, { type: 'idempotency_error', code: 'idempotency_key_invalid' });
  });

  it('accepts a key of 255 characters', async () => {
    const key = `${randomUUID()}${'k'.repeat(219)}`;
    expect(key).toHaveLength(255);
    expect(
      (await client.post('/v2/customers', { email: 'a@example.com' }, withKey(key))).status,
    ).toBe(200);
  });

  it('keeps no webhook signing secret in plaintext, and still replays it', async () => {
    const key = randomUUID();
    const body = { url: 'http://127.0.0.1:9/hooks', events: ['*'] };
    const created = await client.post('/v2/webhooks', body, withKey(key));
    expect(created.status).toBe(200);
    const { id, secret } = created.body as { id: string; secret: string };
    expect(secret).toMatch(/^whsec_/);
    const stored = await storedRecord(key);
    expect(stored).not.toContain('whsec_');
    expect(stored).not.toContain(secret.slice('whsec_'.length));
    const replay = await client.post('/v2/webhooks', body, withKey(key));
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.text).toBe(created.text);

    const rotateKey = randomUUID();
    const rotated = await client.post(`/v2/webhooks/${id}/rotate_secret`, {}, withKey(rotateKey));
    expect(rotated.status).toBe(200);
    expect(rotated.text).toContain('whsec_');
    expect(await storedRecord(rotateKey)).not.toContain('whsec_');
    const rotatedAgain = await client.post(
      `/v2/webhooks/${id}/rotate_secret`,
      {},
      withKey(rotateKey),
    );
    expect(rotatedAgain.text).toBe(rotated.text);
  });
});
