import diagnostics from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { fakeResolver, startReceiver, type Receiver } from '../testing/webhooks.fixture';
import { HttpSender, type HttpSenderOptions } from './http-sender';
import type { HostResolver } from './ssrf-guard';

// Every TCP client socket this process opens, with what it did: the evidence that a refusal
// happened before any connection to the address was even attempted.
interface SocketTrace {
  attempts: string[];
  connected: boolean;
}
const traces: SocketTrace[] = [];
const onSocket = (message: unknown): void => {
  const { socket } = message as { socket: Socket };
  const trace: SocketTrace = { attempts: [], connected: false };
  traces.push(trace);
  socket.on('connectionAttempt', (address: string) => trace.attempts.push(address));
  socket.on('connect', () => (trace.connected = true));
};
beforeAll(() => {
  diagnostics.subscribe('net.client.socket', onSocket);
});
afterAll(() => {
  diagnostics.unsubscribe('net.client.socket', onSocket);
});

const senderOf = (resolve: HostResolver, options: Partial<HttpSenderOptions> = {}): HttpSender =>
  new HttpSender({
    timeoutMs: 2000,
    allowHttp: true,
    policy: { allowLoopback: false },
    resolve,
    ...options,
  });
const webhook = (url: string) => ({
  url,
  body: '{"id":"evt_1"}',
  headers: { 'webhook-id': 'evt_1' },
});

let receiver: Receiver;
beforeEach(async () => {
  traces.length = 0;
  receiver = await startReceiver();
});
afterEach(() => receiver.close());

describe('HttpSender and the SSRF guard', () => {
  it('refuses a host that now resolves to a private address, without attempting a connection', async () => {
    // Registration saw a public address; by delivery the name points inside (DNS rebinding).
    const sender = senderOf(fakeResolver({ 'hooks.example.com': '10.20.30.40' }));
    const result = await sender.send(webhook('http://hooks.example.com/hooks'));
    expect(result).toMatchObject({
      kind: 'refused',
      error: 'hooks.example.com resolves to a private address, which is not allowed',
      address: '10.20.30.40',
    });
    expect(traces.length).toBeGreaterThan(0);
    expect(traces.every((trace) => trace.attempts.length === 0 && !trace.connected)).toBe(true);
  });

  it.each([
    ['169.254.169.254', 'a link-local address'],
    ['100.64.1.1', 'a shared (CGNAT) address'],
    ['::ffff:192.168.1.1', 'a private address'],
    ['fd00::1', 'a private (unique local) address'],
    ['0.0.0.0', 'an unspecified address'],
    ['224.0.0.251', 'a multicast address'],
  ])('refuses a name resolving to %s without a connection attempt', async (address, words) => {
    const sender = senderOf(fakeResolver({ 'hooks.example.com': address }));
    const result = await sender.send(webhook('http://hooks.example.com/hooks'));
    expect(result).toMatchObject({ kind: 'refused' });
    expect(result.kind === 'refused' && result.error).toContain(words);
    expect(traces.every((trace) => trace.attempts.length === 0 && !trace.connected)).toBe(true);
  });

  it('refuses loopback when not allowed: the listening receiver sees no connection', async () => {
    const sender = senderOf(fakeResolver({ 'rebound.example.com': '127.0.0.1' }));
    const result = await sender.send(webhook(`http://rebound.example.com:${receiver.port}/hooks`));
    expect(result).toMatchObject({ kind: 'refused' });
    expect(receiver.connections).toBe(0);
    expect(receiver.requests).toHaveLength(0);
    expect(traces.every((trace) => trace.attempts.length === 0 && !trace.connected)).toBe(true);
  });

  it.each([
    ['http://127.0.0.1:PORT/hooks'],
    ['http://[::ffff:127.0.0.1]:PORT/hooks'],
    ['http://[::ffff:7f00:1]:PORT/hooks'],
    ['http://2130706433:PORT/hooks'], // the URL parser turns this into 127.0.0.1
    ['http://0x7f.1:PORT/hooks'],
  ])('refuses the literal %s before creating a socket', async (template) => {
    const sender = senderOf(fakeResolver({}));
    const result = await sender.send(webhook(template.replace('PORT', String(receiver.port))));
    expect(result).toMatchObject({ kind: 'refused' });
    expect(traces).toHaveLength(0);
    expect(receiver.connections).toBe(0);
  });

  it('connects to the checked address when it is allowed, keeping the name in Host', async () => {
    const sender = senderOf(fakeResolver({ 'hooks.example.com': '127.0.0.1' }), {
      policy: { allowLoopback: true },
    });
    const result = await sender.send(webhook(`http://hooks.example.com:${receiver.port}/hooks`));
    expect(result).toMatchObject({ kind: 'response', status: 200 });
    expect(receiver.requests[0]).toMatchObject({
      method: 'POST',
      path: '/hooks',
      body: '{"id":"evt_1"}',
      headers: {
        host: `hooks.example.com:${receiver.port}`,
        'content-type': 'application/json',
        'webhook-id': 'evt_1',
      },
    });
  });

  it('refuses http:// unless configuration allows it', async () => {
    const sender = senderOf(fakeResolver({}), {
      allowHttp: false,
      policy: { allowLoopback: true },
    });
    await expect(sender.send(webhook(receiver.url))).resolves.toMatchObject({
      kind: 'refused',
      error: 'http URLs are not allowed',
    });
    expect(receiver.connections).toBe(0);
  });
});

describe('HttpSender', () => {
  const loopback = (options: Partial<HttpSenderOptions> = {}) =>
    senderOf(fakeResolver({}), { policy: { allowLoopback: true }, ...options });

  it('does not follow a redirect', async () => {
    const target = await startReceiver();
    const redirecting = await startReceiver((_request, response) => {
      response.writeHead(307, { location: target.url }).end();
    });
    try {
      const result = await loopback().send(webhook(redirecting.url));
      expect(result).toMatchObject({ kind: 'response', status: 307 });
      expect(target.connections).toBe(0);
    } finally {
      await Promise.all([target.close(), redirecting.close()]);
    }
  });

  it('gives up on a receiver that does not answer within the timeout', async () => {
    const silent = await startReceiver(() => undefined);
    try {
      const started = Date.now();
      const result = await loopback({ timeoutMs: 300 }).send(webhook(silent.url));
      expect(result).toMatchObject({ kind: 'timeout', error: 'no response within 300 ms' });
      expect(Date.now() - started).toBeLessThan(1500);
    } finally {
      await silent.close();
    }
  });

  it('reports a refused connection as a network error', async () => {
    const port = receiver.port;
    await receiver.close();
    const result = await loopback().send(webhook(`http://127.0.0.1:${port}/hooks`));
    expect(result).toMatchObject({ kind: 'network' });
    expect(result.kind === 'network' && result.error).toContain('ECONNREFUSED');
    receiver = await startReceiver();
  });

  it('passes Retry-After on and answers as soon as the status arrives', async () => {
    const limited = await startReceiver((_request, response) => {
      response.writeHead(429, { 'retry-after': '3' });
      response.write('slow down');
      // The body never ends: the status is all that counts.
    });
    try {
      const result = await loopback().send(webhook(limited.url));
      expect(result).toMatchObject({ kind: 'response', status: 429, retryAfter: '3' });
    } finally {
      await limited.close();
    }
  });

  it('stops at once when its signal aborts', async () => {
    const silent = await startReceiver(() => undefined);
    try {
      const aborter = new AbortController();
      const sending = loopback().send(webhook(silent.url), aborter.signal);
      setTimeout(() => {
        aborter.abort();
      }, 100);
      await expect(sending).resolves.toMatchObject({ kind: 'aborted' });
    } finally {
      await silent.close();
    }
  });
});
