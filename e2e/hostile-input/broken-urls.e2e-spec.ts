import net from 'node:net';
import { createMerchant, testEnv } from '@finfusion/testing';
import { HANG_MS, sendRaw } from './raw-http';

// Paths that are not valid UTF-8 once decoded: Fastify answers them before its request hooks.
describe('a path that does not decode', () => {
  let apiKey: string;

  beforeAll(async () => {
    ({ apiKey } = await createMerchant());
  });

  it.each([
    ['PUT', '/v2/webhooks/%ED%A0%80', 405],
    ['GET', '/v2/webhooks/%ED%A0%80', 400],
    ['POST', '/v2/nothing/%C0%AF', 400],
  ])('%s %s is answered %d with a Request-Id', async (method, path, status) => {
    const response = await sendRaw(testEnv.gatewayUrl, {
      method,
      path,
      headers: [['authorization', `Bearer ${apiKey}`]],
    });
    const body = response.body as { error?: { request_id?: string } } | null;
    expect(response.status).toBe(status);
    expect(response.headers['request-id']).toMatch(/^req_[0-9A-Za-z]+$/);
    expect(body?.error?.request_id).toBe(response.headers['request-id']);
  });
});

describe('a request without a Host header', () => {
  it('is answered 400 in the error shape, with a Request-Id, HTTP/1.0 as usual', async () => {
    const http11 = await exchange('GET /v2/customers HTTP/1.1\r\nConnection: close\r\n\r\n');
    const [head = '', body = ''] = http11.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    const requestId = /^request-id: (req_[0-9A-Za-z]+)$/im.exec(head)?.[1];
    expect(requestId).toBeDefined();
    expect(JSON.parse(body)).toMatchObject({
      error: {
        code: 'request_malformed',
        message: 'The Host header is missing.',
        request_id: requestId,
      },
    });

    const http10 = await exchange('GET /openapi.json HTTP/1.0\r\n\r\n');
    expect(http10).toMatch(/^HTTP\/1\.1 200 /);
  });
});

/** Writes `request` as it is on a new connection; resolves with all that came back. */
function exchange(request: string): Promise<string> {
  const url = new URL(testEnv.gatewayUrl);
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = net.connect(Number(url.port), url.hostname, () => socket.write(request));
    socket.setEncoding('utf8');
    socket.setTimeout(HANG_MS, () => socket.destroy(new Error(`no answer; received: ${text}`)));
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      resolve(text);
    });
  });
}
