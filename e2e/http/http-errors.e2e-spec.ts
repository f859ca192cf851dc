import { randomUUID } from 'node:crypto';
import {
  api,
  createMerchant,
  serviceLogs,
  waitUntil,
  type ApiClient,
  type ApiResponse,
  type TestMerchant,
} from '@finfusion/testing';
import { expectApiError } from '../support/http-expectations.fixture';
import { paced } from '../support/paced-client.fixture';

const json = { 'content-type': 'application/json' };

describe('HTTP behaviour of the gateway', () => {
  let merchant: TestMerchant;
  let client: ApiClient;

  beforeAll(async () => {
    merchant = await createMerchant();
    client = paced(api(merchant.apiKey));
  });

  describe('Request-Id', () => {
    const responses: [string, () => Promise<ApiResponse>][] = [
      ['a success', () => client.get('/v2/customers')],
      ['a 401', () => api().get('/v2/customers')],
      ['an unknown route', () => client.get('/v2/nothing-here')],
      ['a wrong method', () => client.raw('PUT', '/v2/customers', '{}', json)],
      ['malformed JSON', () => client.raw('POST', '/v2/customers', '{"email": ', json)],
      ['a body too large', () => client.raw('POST', '/v2/customers', 'x'.repeat(70_000), json)],
      [
        'an unsupported content type',
        () => client.raw('POST', '/v2/customers', 'a', { 'content-type': 'text/plain' }),
      ],
      ['a bad URL', () => client.get('/v2/customers/%FF')],
      ['the documentation', () => api().get('/openapi.json')],
    ];

    it.each(responses)('is on %s', async (_case, send) => {
      const response = await send();
      expect(response.headers['request-id']).toMatch(/^req_[0-9A-Za-z]{22}$/);
    });

    it('is new for every request', async () => {
      const ids = await Promise.all(
        Array.from(
          { length: 5 },
          async () => (await client.get('/v2/customers')).headers['request-id'],
        ),
      );
      expect(new Set(ids).size).toBe(5);
    });

    it('travels to the service with the correlation id, and both services log them', async () => {
      const correlationId = `e2e-${randomUUID()}`;
      const response = await client.post(
        '/v2/customers',
        { email: 'logged@example.com' },
        { 'x-correlation-id': correlationId },
      );
      expect(response.status).toBe(200);
      const requestId = response.headers['request-id'] ?? '';
      for (const app of ['gateway', 'customers'] as const) {
        await waitUntil(() => serviceLogs(app).includes(correlationId), 5000);
        const line = serviceLogs(app)
          .split('\n')
          .find((l) => l.includes(correlationId) && l.includes(requestId));
        expect(line).toBeDefined();
        expect(JSON.parse(line ?? '{}')).toMatchObject({
          request_id: requestId,
          correlation_id: correlationId,
          merchant_id: merchant.merchantId,
        });
      }
    });

    it('replaces an unreasonable correlation id by the request id', async () => {
      const response = await client.get('/v2/customers', undefined, {
        'x-correlation-id': '<script>alert(1)</script>',
      });
      const requestId = response.headers['request-id'] ?? '';
      await waitUntil(() => serviceLogs('gateway').includes(requestId), 5000);
      const access = serviceLogs('gateway')
        .split('\n')
        .find((l) => l.includes(requestId) && l.includes('request completed'));
      expect(JSON.parse(access ?? '{}')).toMatchObject({ correlation_id: requestId });
    });
  });

  describe('access log', () => {
    it('logs one line per request with method, route, status and duration, never the key or body', async () => {
      const secret = `secret-${randomUUID()}`;
      const response = await client.post('/v2/customers', { email: 'a@example.com', name: secret });
      const requestId = response.headers['request-id'] ?? '';
      await waitUntil(() => serviceLogs('gateway').includes(requestId), 5000);
      const lines = serviceLogs('gateway')
        .split('\n')
        .filter((l) => l.includes(requestId) && l.includes('request completed'));
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
        method: 'POST',
        route: '/v2/customers',
        status: 200,
        duration_ms: expect.any(Number) as number,
      });
      expect(serviceLogs('gateway')).not.toContain(merchant.apiKey);
      expect(serviceLogs('gateway')).not.toContain(secret);
    });
  });

  describe('errors before a route runs', () => {
    it('answers malformed JSON with 400 invalid_json', async () => {
      const response = await client.raw(
        'POST',
        '/v2/customers',
        '{"email": "a@example.com",',
        json,
      );
      expectApiError(response, 400, { type: 'invalid_request_error', code: 'invalid_json' });
    });

    it('answers an empty JSON body with 400 invalid_json', async () => {
      expectApiError(await client.raw('POST', '/v2/customers', '', json), 400, {
        code: 'invalid_json',
      });
    });

    it('answers a body over the limit with 413 body_too_large', async () => {
      const body = JSON.stringify({ email: 'a@example.com', name: 'x'.repeat(70_000) });
      expectApiError(await client.raw('POST', '/v2/customers', body, json), 413, {
        code: 'body_too_large',
      });
    });

    it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/xml'])(
      'answers a %s body with 415 unsupported_media_type',
      async (contentType) => {
        const response = await client.raw('POST', '/v2/customers', 'email=a@example.com', {
          'content-type': contentType,
        });
        expectApiError(response, 415, { code: 'unsupported_media_type' });
      },
    );

    it('answers a body without a content type with 415', async () => {
      expectApiError(await client.raw('POST', '/v2/customers', '{"email":"a@example.com"}'), 415, {
        code: 'unsupported_media_type',
      });
    });

    it('answers an unknown route with 404 route_not_found', async () => {
      expectApiError(await client.get('/v3/customers'), 404, {
        type: 'invalid_request_error',
        code: 'route_not_found',
      });
    });

    it('answers an unknown route without a key with 404, not 401', async () => {
      expectApiError(await api().get('/no/such/route'), 404, { code: 'route_not_found' });
    });

    it('answers a wrong method on a known route with 405 and an Allow header', async () => {
      const response = await client.raw('PUT', '/v2/customers/cust_abc', '{}', json);
      expectApiError(response, 405, { code: 'method_not_allowed' });
      expect(response.headers.allow).toContain('PATCH');
    });

    it('answers a URL with bad percent-encoding with 400 request_malformed', async () => {
      expectApiError(await client.get('/v2/customers/%E0%A4%A'), 400, {
        code: 'request_malformed',
      });
    });

    it('answers a JSON body with a __proto__ key with 400 invalid_json', async () => {
      const response = await client.raw('POST', '/v2/customers', '{"__proto__": {"a": 1}}', json);
      expectApiError(response, 400, { code: 'invalid_json' });
    });
  });

  describe('no input produces a 5xx or a hang', () => {
    const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const bodies: [string, string][] = [
      ['huge numbers', '{"email": 1e400, "name": 123456789012345678901234567890}'],
      ['deep nesting', `{"email": "a@example.com", "metadata": ${nested(10_000)}}`],
      ['an array where an object is expected', '[{"email": "a@example.com"}]'],
      ['metadata as an array', '{"email": "a@example.com", "metadata": ["a"]}'],
      ['a nested metadata value', '{"email": "a@example.com", "metadata": {"a": {"b": 1}}}'],
      ['nulls everywhere', '{"email": null, "name": null, "metadata": null}'],
      ['a null body', 'null'],
      ['a string body', '"a@example.com"'],
      ['a number body', '42'],
      [
        'unicode',
        '{"email": "ü@bücher.example", "name": "名前 😀", "metadata": {"ключ": "значение"}}',
      ],
      ['a NUL character', '{"email": "a@example.com", "name": "a\\u0000b"}'],
      [
        'a NUL character in a metadata key',
        '{"email": "a@example.com", "metadata": {"k\\u0000": "v"}}',
      ],
      ['an operator object', '{"email": {"$gt": ""}}'],
      ['lone surrogates', '{"email": "a@example.com", "name": "\\ud800"}'],
      ['a constructor key', '{"email": "a@example.com", "constructor": {"prototype": {"x": 1}}}'],
      [
        'many unknown fields',
        JSON.stringify(Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`f${i}`, i]))),
      ],
      ['a huge string', JSON.stringify({ email: `${'a'.repeat(60_000)}@example.com` })],
    ];

    it.each(bodies)('answers %s with a 4xx in the error shape', async (_case, body) => {
      for (const [method, path] of [
        ['POST', '/v2/customers'],
        ['PATCH', '/v2/customers/cust_doesnotexist'],
      ] as const) {
        const response = await client.raw(method, path, body, json);
        if (response.status === 200) continue;
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expectApiError(response, response.status);
      }
    });

    const queries: [string, string][] = [
      ['a limit that is no number', 'limit=abc'],
      ['a huge limit', 'limit=1e400'],
      ['a negative limit', 'limit=-1'],
      ['a repeated limit', 'limit=1&limit=2'],
      ['a limit array', 'limit[]=1'],
      ['an operator in a filter', 'email[$ne]=x'],
      ['both cursors', 'starting_after=cust_x&ending_before=cust_y'],
      ['a 5000 character cursor', `starting_after=${'x'.repeat(5000)}`],
      ['a NUL character in a filter', 'email=a%00b'],
      ['an unknown parameter', 'unknown=1'],
    ];

    it.each(queries)('answers a list query with %s with a 400', async (_case, query) => {
      expectApiError(await client.get(`/v2/customers?${query}`), 400);
    });

    it.each([
      ['a non-customer id', '/v2/customers/pay_123'],
      ['an id with unicode', `/v2/customers/${encodeURIComponent('cust_ü')}`],
      ['a very long id', `/v2/customers/cust_${'a'.repeat(450)}`],
    ])('answers %s with 404 resource_missing', async (_case, path) => {
      expectApiError(await client.get(path), 404, { code: 'resource_missing', param: 'id' });
    });

    it('answers a path segment over the router limit with a 4xx', async () => {
      const response = await client.get(`/v2/customers/cust_${'a'.repeat(600)}`);
      expectApiError(response, 414, { code: 'request_malformed' });
    });
  });
});
