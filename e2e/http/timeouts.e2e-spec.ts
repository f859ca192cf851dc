import net from 'node:net';
import {
  api,
  connectToTestDatabase,
  createMerchant,
  restartService,
  startService,
  stopService,
  testEnv,
  type ApiClient,
} from '@finfusion/testing';
import type { Customer } from '@finfusion/contracts';

// The gateway's documented defaults: a request must arrive within HTTP_RECEIVE_TIMEOUT_MS.
const RECEIVE_TIMEOUT_MS = 10_000;
// Longer than the 8 s services were once given to stop, and within what they are given now.
const HELD_MS = 10_000;

/** Holds an exclusive lock on the customers table, so a read of it waits until release(). */
async function lockCustomers(): Promise<{ release: () => Promise<void> }> {
  const client = await connectToTestDatabase();
  await client.query('BEGIN');
  await client.query('LOCK TABLE customers.customers IN ACCESS EXCLUSIVE MODE');
  return {
    release: async () => {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends the headers of a POST, then one byte of its body a second; resolves with what came back. */
function trickle(key: string): Promise<{ text: string; elapsedMs: number }> {
  const url = new URL(testEnv.gatewayUrl);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let text = '';
    const socket = net.connect(Number(url.port), url.hostname, () => {
      socket.write(
        'POST /v2/customers HTTP/1.1\r\n' +
          `Host: ${url.host}\r\nAuthorization: Bearer ${key}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
      );
    });
    const timer = setInterval(() => {
      if (socket.writable) socket.write(' ');
    }, 1000);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ text, elapsedMs: Date.now() - started });
    });
    setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      reject(new Error(`still connected after 30 s; received: ${text}`));
    }, 30_000);
  });
}

describe('HTTP timeouts', () => {
  it('cuts off a client that sends its headers, then trickles the body, with 408', async () => {
    const { apiKey } = await createMerchant();
    const { text, elapsedMs } = await trickle(apiKey);
    expect(elapsedMs).toBeGreaterThanOrEqual(RECEIVE_TIMEOUT_MS - 500);
    expect(elapsedMs).toBeLessThan(RECEIVE_TIMEOUT_MS + 3000);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as unknown;
    expect(body).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'request_timeout',
        message: expect.any(String) as unknown,
        request_id: expect.stringMatching(/^req_/) as unknown,
      },
    });
    expect(text).toMatch(/\r\nrequest-id: req_/i);
  });
});

describe('a process told to stop while it handles a request', () => {
  let client: ApiClient;
  let customer: Customer;

  beforeAll(async () => {
    // Long enough a wait for a reply that the held request is answered by the service itself.
    await restartService('gateway', { env: { REQUEST_TIMEOUT_MS: '14000' } });
    client = api((await createMerchant()).apiKey);
    customer = (await client.post('/v2/customers', { email: 'stopping@example.com' }))
      .body as Customer;
  });

  afterAll(async () => {
    await startService('customers').catch(() => undefined);
    await startService('gateway').catch(() => undefined);
    await restartService('gateway');
  });

  it('answers it: a service, before it exits', async () => {
    const lock = await lockCustomers();
    const pending = client.get(`/v2/customers/${customer.id}`);
    await sleep(1000);
    const stopping = stopService('customers', { timeoutMs: 30_000 });
    await sleep(HELD_MS - 1000);
    await lock.release();
    const response = await pending;
    expect(response.status).toBe(200);
    expect((response.body as Customer).id).toBe(customer.id);
    await stopping;
    await startService('customers');
  });

  it('answers it: the gateway, before it exits', async () => {
    const lock = await lockCustomers();
    const pending = client.get(`/v2/customers/${customer.id}`);
    await sleep(1000);
    const stopping = stopService('gateway', { timeoutMs: 40_000 });
    await sleep(HELD_MS + 2000 - 1000);
    await lock.release();
    const response = await pending;
    expect(response.status).toBe(200);
    await stopping;
    // Stopped gracefully: later requests are refused, not left hanging.
    await expect(api().get('/openapi.json')).rejects.toThrow();
  });
});
