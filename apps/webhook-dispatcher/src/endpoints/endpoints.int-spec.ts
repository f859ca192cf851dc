import type { WebhookEndpointWithSecret, WebhookEventSelector } from '@finfusion/contracts';
import { bodyOf, newMerchantId, requestOf } from '@finfusion/testing';
import {
  fakeResolver,
  PRODUCTION_URLS,
  webhooksTestBed,
  type TestDispatcher,
} from '../testing/webhooks.fixture';

const bed = webhooksTestBed();
let dispatcher: TestDispatcher;

beforeAll(() => {
  dispatcher = bed.dispatcher(
    PRODUCTION_URLS,
    fakeResolver({ 'example.com': '93.184.216.34', 'internal.example.com': '10.1.1.1' }),
  );
});

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 3));

const endpointOf = (
  merchantId: string,
  events: WebhookEventSelector[] = ['*'],
): Promise<WebhookEndpointWithSecret> =>
  dispatcher.endpoint(merchantId, 'https://example.com/webhooks', events);

describe('webhooks.get', () => {
  it('returns the merchant’s endpoint without its secret', async () => {
    const merchantId = newMerchantId();
    const created = await endpointOf(merchantId);
    const reply = await dispatcher.get.handle(requestOf(merchantId, { id: created.id }));
    expect(reply).toEqual({ ok: true, status: 200, body: expect.any(Object) as object });
    expect({ ...bodyOf(reply), secret: created.secret }).toEqual(created);
    expect(bodyOf(reply)).not.toHaveProperty('secret');
  });

  it('answers 404 for another merchant’s endpoint, as for one that does not exist', async () => {
    const { id } = await endpointOf(newMerchantId());
    const stranger = newMerchantId();
    for (const missing of [id, 'whk_doesnotexist']) {
      expect(await dispatcher.get.handle(requestOf(stranger, { id: missing }))).toEqual({
        ok: false,
        status: 404,
        error: {
          type: 'invalid_request_error',
          code: 'resource_missing',
          message: 'No such webhook endpoint.',
          param: 'id',
        },
      });
    }
  });
});

describe('webhooks.list', () => {
  it('lists the merchant’s endpoints newest first, page by page', async () => {
    const merchantId = newMerchantId();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.unshift((await endpointOf(merchantId)).id);
      await tick();
    }
    await endpointOf(newMerchantId());

    const first = bodyOf(await dispatcher.list.handle(requestOf(merchantId, { limit: 2 })));
    expect(first).toMatchObject({ object: 'list', has_more: true });
    expect(first.data.map((endpoint) => endpoint.id)).toEqual(ids.slice(0, 2));
    expect(first.data[0]).not.toHaveProperty('secret');

    const second = bodyOf(
      await dispatcher.list.handle(requestOf(merchantId, { limit: 2, starting_after: ids[1] })),
    );
    expect(second).toMatchObject({ has_more: false });
    expect(second.data.map((endpoint) => endpoint.id)).toEqual(ids.slice(2));
  });

  it('refuses a cursor of another merchant', async () => {
    const { id } = await endpointOf(newMerchantId());
    expect(
      await dispatcher.list.handle(requestOf(newMerchantId(), { limit: 10, starting_after: id })),
    ).toMatchObject({ ok: false, status: 400, error: { param: 'starting_after' } });
  });
});

describe('webhooks.update', () => {
  it('changes url, events, status and metadata', async () => {
    const merchantId = newMerchantId();
    const { id } = await endpointOf(merchantId, ['payment.succeeded']);
    const updated = bodyOf(
      await dispatcher.update.handle(
        requestOf(merchantId, {
          id,
          url: 'https://example.com/v2/webhooks',
          events: ['payment.failed', 'customer.created'],
          status: 'disabled',
          metadata: { team: 'billing' },
        }),
      ),
    );
    expect(updated).toMatchObject({
      id,
      url: 'https://example.com/v2/webhooks',
      events: ['payment.failed', 'customer.created'],
      status: 'disabled',
      disabled_reason: 'requested',
      metadata: { team: 'billing' },
    });
    expect(bodyOf(await dispatcher.get.handle(requestOf(merchantId, { id })))).toEqual(updated);

    const enabled = bodyOf(
      await dispatcher.update.handle(requestOf(merchantId, { id, status: 'active' })),
    );
    expect(enabled).toMatchObject({ status: 'active', disabled_reason: null });
  });

  it('applies the registration checks to a new url and events', async () => {
    const merchantId = newMerchantId();
    const { id } = await endpointOf(merchantId);
    expect(
      await dispatcher.update.handle(
        requestOf(merchantId, { id, url: 'https://internal.example.com/hooks' }),
      ),
    ).toMatchObject({ ok: false, status: 400, error: { code: 'url_not_allowed', param: 'url' } });
    expect(
      await dispatcher.update.handle(requestOf(merchantId, { id, url: 'http://example.com/' })),
    ).toMatchObject({ ok: false, status: 400, error: { param: 'url' } });
    expect(
      await dispatcher.update.handle(
        requestOf(merchantId, { id, events: ['payment.refunded'] } as never),
      ),
    ).toMatchObject({ ok: false, status: 400, error: { param: 'events.0' } });
    expect(
      await dispatcher.update.handle(requestOf(merchantId, { id, status: 'paused' } as never)),
    ).toMatchObject({ ok: false, status: 400, error: { param: 'status' } });
  });

  it('answers 404 for another merchant’s endpoint and changes nothing', async () => {
    const owner = newMerchantId();
    const { id } = await endpointOf(owner);
    expect(
      await dispatcher.update.handle(requestOf(newMerchantId(), { id, status: 'disabled' })),
    ).toMatchObject({ ok: false, status: 404, error: { code: 'resource_missing' } });
    expect(bodyOf(await dispatcher.get.handle(requestOf(owner, { id }))).status).toBe('active');
  });
});

describe('webhooks.delete', () => {
  it('deletes the endpoint for good', async () => {
    const merchantId = newMerchantId();
    const { id } = await endpointOf(merchantId);
    expect(await dispatcher.remove.handle(requestOf(merchantId, { id }))).toEqual({
      ok: true,
      status: 200,
      body: { id, object: 'webhook_endpoint', deleted: true },
    });
    expect(await dispatcher.get.handle(requestOf(merchantId, { id }))).toMatchObject({
      status: 404,
    });
    expect(await dispatcher.remove.handle(requestOf(merchantId, { id }))).toMatchObject({
      status: 404,
    });
    const { data } = bodyOf(await dispatcher.list.handle(requestOf(merchantId, { limit: 10 })));
    expect(data).toEqual([]);
  });

  it('answers 404 for another merchant’s endpoint and keeps it', async () => {
    const owner = newMerchantId();
    const { id } = await endpointOf(owner);
    expect(await dispatcher.remove.handle(requestOf(newMerchantId(), { id }))).toMatchObject({
      status: 404,
    });
    expect(await dispatcher.get.handle(requestOf(owner, { id }))).toMatchObject({ ok: true });
  });
});

describe('webhooks.rotate-secret', () => {
  // Stored sealed: opened as the dispatcher opens them.
  const secretsOf = async (id: string) =>
    (
      await bed.db.query<{ secret: string; key_id: string | null; expires_at: Date | null }>(
        'SELECT secret, key_id, expires_at FROM $schema.endpoint_secrets WHERE endpoint_id = $1 ORDER BY id',
        [id],
      )
    ).map((row) => ({
      secret: dispatcher.secrets.open({ endpointId: id, keyId: row.key_id, secret: row.secret }),
      expires_at: row.expires_at,
    }));

  it('issues a new secret and keeps the old one signing for the overlap', async () => {
    const merchantId = newMerchantId();
    const { id, secret: first } = await endpointOf(merchantId);
    const before = Date.now();
    const rotated = bodyOf(
      await dispatcher.rotate.handle(requestOf(merchantId, { id, overlap_seconds: 3600 })),
    );
    expect(rotated).toMatchObject({ id, object: 'webhook_endpoint', status: 'active' });
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(first);

    const secrets = await secretsOf(id);
    expect(secrets.map((row) => row.secret)).toEqual([first, rotated.secret]);
    const expiry = secrets[0]?.expires_at?.getTime() ?? 0;
    expect(expiry).toBeGreaterThanOrEqual(before + 3_600_000 - 1000);
    expect(expiry).toBeLessThanOrEqual(Date.now() + 3_600_000 + 1000);
    expect(secrets[1]?.expires_at).toBeNull();
  });

  it('defaults the overlap to the configured 24 hours, and 0 stops the old secret at once', async () => {
    const merchantId = newMerchantId();
    const { id } = await endpointOf(merchantId);
    await dispatcher.rotate.handle(requestOf(merchantId, { id }));
    const [old] = await secretsOf(id);
    expect((old?.expires_at?.getTime() ?? 0) - Date.now()).toBeGreaterThan(86_400_000 - 60_000);

    await dispatcher.rotate.handle(requestOf(merchantId, { id, overlap_seconds: 0 }));
    const active = (await secretsOf(id)).filter(
      (row) => row.expires_at === null || row.expires_at.getTime() > Date.now(),
    );
    expect(active).toHaveLength(1);
  });

  it('refuses an overlap out of range, and another merchant’s endpoint', async () => {
    const merchantId = newMerchantId();
    const { id } = await endpointOf(merchantId);
    expect(
      await dispatcher.rotate.handle(requestOf(merchantId, { id, overlap_seconds: -1 })),
    ).toMatchObject({ status: 400, error: { param: 'overlap_seconds' } });
    expect(await dispatcher.rotate.handle(requestOf(newMerchantId(), { id }))).toMatchObject({
      status: 404,
    });
    expect(await secretsOf(id)).toHaveLength(1);
  });
});
