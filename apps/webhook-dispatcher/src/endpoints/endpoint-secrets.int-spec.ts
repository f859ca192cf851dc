import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { loadConfig } from '@finfusion/config';
import { bodyOf, newMerchantId, requestOf } from '@finfusion/testing';
import { DispatcherConfig } from '../config';
import {
  waitFor,
  webhooksTestBed,
  type Receiver,
  type TestDispatcher,
} from '../testing/webhooks.fixture';

// Signing secrets at rest: sealed under WEBHOOK_SECRET_KEYS, opened for signing, sealed again
// with the current key at start after a key rotation or from plaintext rows of before.

const keyOf = (id: string): string => `${id}:${randomBytes(32).toString('base64')}`;
const OLD = keyOf('old');
const NEW = keyOf('new');

const bed = webhooksTestBed();
let inbox: Receiver;
beforeAll(async () => {
  inbox = await bed.receiver();
});

const dispatcher = (keys: string): TestDispatcher => bed.dispatcher({ WEBHOOK_SECRET_KEYS: keys });

/** Every text, jsonb or array value in every table of the dispatcher's schema, as text. */
async function everyStoredText(): Promise<string[]> {
  const columns = await bed.db.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = $1 AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY')`,
    [bed.db.schema],
  );
  expect(columns.length).toBeGreaterThan(10);
  const values: string[] = [];
  for (const { table_name, column_name } of columns) {
    const rows = await bed.db.query<{ value: string | null }>(
      `SELECT "${column_name}"::text AS value FROM $schema."${table_name}"`,
    );
    for (const row of rows) if (row.value !== null) values.push(row.value);
  }
  return values;
}

/** Delivers one event to the endpoint and returns the request, checked by standardwebhooks. */
async function deliverOne(made: TestDispatcher, merchantId: string, secret: string): Promise<void> {
  const { event } = await made.publish(merchantId);
  made.worker.start();
  const request = await waitFor(
    () => inbox.requests.find((received) => received.headers['webhook-id'] === event.id),
    10_000,
    'the delivery',
  );
  expect(new Webhook(secret).verify(request.body, request.headers)).toEqual(event);
}

const storedKeys = async (merchantId: string) =>
  (
    await bed.db.query<{ key_id: string | null }>(
      `SELECT s.key_id FROM $schema.endpoint_secrets s
       JOIN $schema.endpoints e ON e.id = s.endpoint_id WHERE e.merchant_id = $1`,
      [merchantId],
    )
  ).map((row) => row.key_id);

describe('endpoint signing secrets at rest', () => {
  it('stores no secret in plaintext anywhere, and deliveries still verify', async () => {
    const made = dispatcher(OLD);
    const merchantId = newMerchantId();
    const created = await made.endpoint(merchantId, inbox.url);
    const rotated = bodyOf(
      await made.rotate.handle(requestOf(merchantId, { id: created.id, overlap_seconds: 60 })),
    );
    await deliverOne(made, merchantId, rotated.secret);
    await deliverOne(made, merchantId, created.secret);

    const stored = (await everyStoredText()).join('\n');
    expect(stored).not.toContain('whsec_');
    for (const { secret } of [created, rotated]) {
      expect(stored).not.toContain(secret.slice('whsec_'.length));
    }
    expect(await storedKeys(merchantId)).toEqual(['old', 'old']);
  });

  it('opens secrets sealed with an older key, and seals them again with the current one at start', async () => {
    const before = dispatcher(OLD);
    const merchantId = newMerchantId();
    const { secret } = await before.endpoint(merchantId, inbox.url);
    await before.worker.stop(0);

    // The new key seals; the old one still opens what it sealed.
    const rotated = dispatcher(`${NEW},${OLD}`);
    await deliverOne(rotated, merchantId, secret);
    await rotated.worker.stop(0);
    expect(await rotated.endpoints.resealSecrets()).toBeGreaterThanOrEqual(1);
    expect(await storedKeys(merchantId)).toEqual(['new']);

    // The old key can go now.
    const after = dispatcher(NEW);
    await deliverOne(after, merchantId, secret);
  });

  it('refuses to start when a secret is sealed with a key it does not have, naming the key', async () => {
    const made = dispatcher(OLD);
    const merchantId = newMerchantId();
    await made.endpoint(merchantId, inbox.url);

    const lost = dispatcher(NEW);
    await expect(lost.endpoints.resealSecrets()).rejects.toThrow(
      /sealed with key 'old', which WEBHOOK_SECRET_KEYS does not list/,
    );
    // Back to a key set that opens everything, for the tests that follow.
    await dispatcher(`${NEW},${OLD}`).endpoints.resealSecrets();
  });

  it('seals at start the plaintext secrets written before secrets were sealed', async () => {
    const made = dispatcher(NEW);
    const merchantId = newMerchantId();
    const { id } = await made.endpoint(merchantId, inbox.url);
    // As an older dispatcher wrote it.
    const legacy = `whsec_${randomBytes(32).toString('base64')}`;
    await bed.db.query(
      `UPDATE $schema.endpoint_secrets SET secret = $2, key_id = NULL WHERE endpoint_id = $1`,
      [id, legacy],
    );
    await deliverOne(made, merchantId, legacy);
    await made.worker.stop(0);

    expect(await made.endpoints.resealSecrets()).toBe(1);
    expect(await storedKeys(merchantId)).toEqual(['new']);
    expect((await everyStoredText()).join('\n')).not.toContain('whsec_');
    await deliverOne(made, merchantId, legacy);
  });
});

describe('WEBHOOK_SECRET_KEYS', () => {
  it('has a development default that production refuses', () => {
    expect(() => loadConfig(DispatcherConfig, {})).not.toThrow();
    expect(() => loadConfig(DispatcherConfig, { NODE_ENV: 'production' })).toThrow(
      /WEBHOOK_SECRET_KEYS/,
    );
    expect(() =>
      loadConfig(DispatcherConfig, {
        NODE_ENV: 'production',
        WEBHOOK_SECRET_KEYS: NEW,
        REQUEST_SIGNING_KEYS: `r1:${randomBytes(32).toString('base64')}`,
      }),
    ).not.toThrow();
  });

  it.each([
    ['no id', randomBytes(32).toString('base64'), /key 1 must be written id:key/],
    ['a short key', `k1:${randomBytes(16).toString('base64')}`, /key 'k1' must be 32 random bytes/],
    ['a repeated id', `k1:${'ab'.repeat(32)},k1:${'cd'.repeat(32)}`, /key ids must be unique/],
  ])('refuses %s without echoing the keys', (_case, keys, message) => {
    let thrown: unknown;
    try {
      loadConfig(DispatcherConfig, { WEBHOOK_SECRET_KEYS: keys });
    } catch (error) {
      thrown = error;
    }
    expect(String(thrown)).toMatch(message);
    expect(String(thrown)).not.toContain(keys.slice(4, 20));
  });
});
