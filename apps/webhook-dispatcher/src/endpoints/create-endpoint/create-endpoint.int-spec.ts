import { Logger } from '@nestjs/common';
import type { ServiceReply, WebhookEndpointWithSecret } from '@finfusion/contracts';
import { bodyOf, newMerchantId, requestOf } from '@finfusion/testing';
import {
  fakeResolver,
  PRODUCTION_URLS,
  webhooksTestBed,
  type TestDispatcher,
} from '../../testing/webhooks.fixture';

const bed = webhooksTestBed();
let production: TestDispatcher;

// Production settings: https only, no loopback. DNS is a table, so no test depends on the network
// and no refused address is ever contacted (registration only resolves, it never connects).
const resolve = fakeResolver({
  'example.com': '93.184.216.34',
  'hooks.example.com': ['93.184.216.34', '2606:2800:220:1::248'],
  'internal.example.com': '10.0.0.8',
  'metadata.example.com': '169.254.169.254',
  'cgnat.example.com': '100.64.0.9',
  'mapped.example.com': '::ffff:192.168.0.10',
  'mixed.example.com': ['93.184.216.34', '172.16.5.5'],
  localhost: ['127.0.0.1', '::1'],
});

beforeAll(() => {
  production = bed.dispatcher(PRODUCTION_URLS, resolve);
});

const create = (payload: unknown, merchantId = newMerchantId(), idempotencyKey?: string) =>
  production.create.handle(
    requestOf(merchantId, payload as never, idempotencyKey === undefined ? {} : { idempotencyKey }),
  );

const refusalOf = (reply: ServiceReply<WebhookEndpointWithSecret>) => {
  if (reply.ok) throw new Error(`expected a refusal, got ${JSON.stringify(reply)}`);
  return { status: reply.status, ...reply.error };
};

describe('webhooks.create', () => {
  it('registers an endpoint and shows its secret once', async () => {
    const merchantId = newMerchantId();
    const reply = await create(
      {
        url: 'https://example.com/webhooks',
        events: ['payment.succeeded', 'payment.failed'],
        metadata: { environment: 'production' },
      },
      merchantId,
    );
    expect(reply).toEqual({
      ok: true,
      status: 200,
      body: {
        id: expect.stringMatching(/^whk_[0-9A-Za-z]{22}$/) as string,
        object: 'webhook_endpoint',
        url: 'https://example.com/webhooks',
        events: ['payment.succeeded', 'payment.failed'],
        status: 'active',
        disabled_reason: null,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as string,
        metadata: { environment: 'production' },
        secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/) as string,
      },
    });
    const { id } = bodyOf(reply);
    const fetched = bodyOf(await production.get.handle(requestOf(merchantId, { id })));
    expect(fetched).not.toHaveProperty('secret');
  });

  it('subscribes to every event with *', async () => {
    const reply = await create({ url: 'https://hooks.example.com/in', events: ['*'] });
    expect(bodyOf(reply)).toMatchObject({ events: ['*'], metadata: {} });
  });

  it('refuses http:// in production, naming url', async () => {
    expect(refusalOf(await create({ url: 'http://example.com/webhooks', events: ['*'] }))).toEqual({
      status: 400,
      type: 'invalid_request_error',
      code: 'parameter_invalid',
      message: 'url must use https.',
      param: 'url',
    });
  });

  it('refuses an unknown event type, naming it by its index in events', async () => {
    expect(
      refusalOf(
        await create({ url: 'https://example.com/webhooks', events: ['payment.exploded'] }),
      ),
    ).toMatchObject({ status: 400, code: 'parameter_invalid', param: 'events.0' });
  });

  it.each([
    ['internal.example.com', '10.0.0.8', 'a private address'],
    ['metadata.example.com', '169.254.169.254', 'a link-local address'],
    ['cgnat.example.com', '100.64.0.9', 'a shared (CGNAT) address'],
    ['mapped.example.com', '192.168.0.10', 'a private address'],
    ['mixed.example.com', '172.16.5.5', 'a private address'],
    ['localhost', '127.0.0.1', 'a loopback address'],
  ])(
    'refuses %s by the SSRF guard, naming url and the kind of address but not the address %s',
    async (host, address, kind) => {
      const warn = jest.spyOn(Logger.prototype, 'warn');
      const refusal = refusalOf(await create({ url: `https://${host}/webhooks`, events: ['*'] }));
      expect(refusal).toEqual({
        status: 400,
        type: 'invalid_request_error',
        code: 'url_not_allowed',
        param: 'url',
        message: `url is not allowed: ${host} resolves to ${kind}, which is not allowed.`,
      });
      expect(JSON.stringify(refusal)).not.toContain(address);
      // The address goes to the logs, where operators can see what the name pointed at.
      expect(JSON.stringify(warn.mock.calls)).toContain(address);
      warn.mockRestore();
    },
  );

  it.each([
    ['https://127.0.0.1/webhooks'],
    ['https://[::1]/webhooks'],
    ['https://[::ffff:10.0.0.1]/webhooks'],
    ['https://169.254.169.254/latest/meta-data'],
    ['https://0.0.0.0/'],
  ])('refuses the address literal %s', async (url) => {
    expect(refusalOf(await create({ url, events: ['*'] }))).toMatchObject({
      code: 'url_not_allowed',
      param: 'url',
    });
  });

  it('refuses a host that does not resolve', async () => {
    expect(
      refusalOf(await create({ url: 'https://nowhere.invalid/webhooks', events: ['*'] })),
    ).toMatchObject({ status: 400, code: 'url_unresolvable', param: 'url' });
  });

  it('refuses malformed bodies without throwing', async () => {
    for (const payload of [
      null,
      'text',
      { events: ['*'] },
      { url: 'https://example.com/', events: '*' },
      { url: 'https://example.com/', events: ['*'], metadata: { n: 1 } },
    ]) {
      expect(refusalOf(await create(payload)).status).toBe(400);
    }
  });

  it('answers a retried create with the first endpoint and its secret', async () => {
    const merchantId = newMerchantId();
    const payload = { url: 'https://example.com/webhooks', events: ['*'] };
    const first = bodyOf(await create(payload, merchantId, 'key-1'));
    const again = bodyOf(await create(payload, merchantId, 'key-1'));
    expect(again).toEqual(first);
    const other = bodyOf(await create(payload, merchantId, 'key-2'));
    expect(other.id).not.toBe(first.id);
    const rows = await bed.db.query('SELECT id FROM $schema.endpoints WHERE merchant_id = $1', [
      merchantId,
    ]);
    expect(rows).toHaveLength(2);
  });

  it('allows http:// and loopback where configuration says so (development)', async () => {
    const development = bed.dispatcher({}, resolve);
    const reply = await development.create.handle(
      requestOf(newMerchantId(), { url: 'http://localhost:4242/webhooks', events: ['*'] }),
    );
    expect(bodyOf(reply).url).toBe('http://localhost:4242/webhooks');
    const privateStill = await development.create.handle(
      requestOf(newMerchantId(), { url: 'http://internal.example.com/', events: ['*'] }),
    );
    expect(privateStill).toMatchObject({ ok: false, error: { code: 'url_not_allowed' } });
  });
});

describe('the endpoints-per-merchant limit', () => {
  const payload = { url: 'https://example.com/webhooks', events: ['*' as const] };
  const liveCount = async (merchantId: string) =>
    (
      await bed.db.query(
        'SELECT id FROM $schema.endpoints WHERE merchant_id = $1 AND deleted_at IS NULL',
        [merchantId],
      )
    ).length;

  it('refuses a 17th endpoint with endpoint_limit_reached, and counts no deleted one', async () => {
    const merchantId = newMerchantId();
    const created = [];
    for (let i = 0; i < 16; i++) created.push(bodyOf(await create(payload, merchantId)));

    expect(refusalOf(await create(payload, merchantId))).toEqual({
      status: 400,
      type: 'invalid_request_error',
      code: 'endpoint_limit_reached',
      message:
        'A merchant can have at most 16 webhook endpoints; delete one before creating another.',
    });
    // Other merchants are not affected.
    bodyOf(await create(payload));

    bodyOf(await production.remove.handle(requestOf(merchantId, { id: created[0]!.id })));
    bodyOf(await create(payload, merchantId));
    expect(refusalOf(await create(payload, merchantId)).code).toBe('endpoint_limit_reached');
    expect(await liveCount(merchantId)).toBe(16);
  });

  it('still answers a retried create at the limit with the endpoint it made', async () => {
    const merchantId = newMerchantId();
    for (let i = 0; i < 15; i++) bodyOf(await create(payload, merchantId));
    const last = bodyOf(await create(payload, merchantId, 'the-16th'));
    expect(bodyOf(await create(payload, merchantId, 'the-16th'))).toEqual(last);
  });

  it('lets concurrent creates make no more than the limit', async () => {
    const merchantId = newMerchantId();
    const replica = await bed.replica(PRODUCTION_URLS, resolve);
    for (let i = 0; i < 10; i++) bodyOf(await create(payload, merchantId));

    // Twelve at once, half through another connection pool as another replica would.
    const replies = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 === 0 ? production : replica).create.handle(requestOf(merchantId, payload)),
      ),
    );
    expect(replies.filter((reply) => reply.ok)).toHaveLength(6);
    expect(
      replies.filter((reply) => !reply.ok && reply.error.code === 'endpoint_limit_reached'),
    ).toHaveLength(6);
    expect(await liveCount(merchantId)).toBe(16);
  });

  it('takes its limit from WEBHOOK_MAX_ENDPOINTS_PER_MERCHANT', async () => {
    const strict = bed.dispatcher({ WEBHOOK_MAX_ENDPOINTS_PER_MERCHANT: '2' }, resolve);
    const merchantId = newMerchantId();
    const local = { url: 'http://localhost:4242/webhooks', events: ['*' as const] };
    bodyOf(await strict.create.handle(requestOf(merchantId, local)));
    bodyOf(await strict.create.handle(requestOf(merchantId, local)));
    expect(await strict.create.handle(requestOf(merchantId, local))).toMatchObject({
      ok: false,
      status: 400,
      error: { code: 'endpoint_limit_reached' },
    });
  });
});
