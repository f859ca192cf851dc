import dgram from 'node:dgram';
import { EndpointUrlPolicy } from '../endpoints/endpoint-url.policy';
import { startReceiver, type Receiver } from '../testing/webhooks.fixture';
import { dnsResolver, DnsTimeoutError } from './dns-resolver';
import { HttpSender } from './http-sender';
import { judgeAttempt } from '../deliveries/domain/retry-policy';

// A real DNS server on 127.0.0.1 that answers A queries from a table, answers AAAA with no
// records, and never answers names under `silent.test` (a resolver that hangs).

const A = 1;
const AAAA = 28;

interface DnsServer {
  address: string;
  queries: string[];
  close(): Promise<void>;
}

async function startDnsServer(table: Record<string, string>): Promise<DnsServer> {
  const socket = dgram.createSocket('udp4');
  const queries: string[] = [];
  socket.on('message', (query, peer) => {
    let offset = 12;
    const labels: string[] = [];
    for (let length = query[offset] ?? 0; length > 0; length = query[offset] ?? 0) {
      labels.push(query.subarray(offset + 1, offset + 1 + length).toString('ascii'));
      offset += length + 1;
    }
    const name = labels.join('.');
    const type = query.readUInt16BE(offset + 1);
    queries.push(`${name}/${type}`);
    if (name.endsWith('silent.test')) return;
    const question = query.subarray(12, offset + 5);
    const address = table[name];
    const answers =
      type === A && address !== undefined
        ? [
            Buffer.concat([
              Buffer.from([0xc0, 0x0c, 0, A, 0, 1, 0, 0, 0, 60, 0, 4]),
              Buffer.from(address.split('.').map(Number)),
            ]),
          ]
        : [];
    const header = Buffer.alloc(12);
    header.writeUInt16BE(query.readUInt16BE(0), 0);
    // A response, recursion available, NXDOMAIN for names it does not know.
    header.writeUInt16BE(address === undefined ? 0x8183 : 0x8180, 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    socket.send(Buffer.concat([header, question, ...answers]), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  return {
    address: `127.0.0.1:${port}`,
    queries,
    close: () =>
      new Promise((resolve) => {
        socket.close(() => {
          resolve();
        });
      }),
  };
}

let dns: DnsServer;
let receiver: Receiver;
beforeAll(async () => {
  dns = await startDnsServer({ 'hooks.example.test': '127.0.0.1' });
  receiver = await startReceiver();
});
afterAll(async () => {
  await dns.close();
  await receiver.close();
});

const resolverOf = (timeoutMs: number) => dnsResolver({ timeoutMs, servers: [dns.address] });

const timed = async <T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> => {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
};

describe('dnsResolver', () => {
  it('resolves through DNS servers, with what each query type returned', async () => {
    await expect(resolverOf(1000)('hooks.example.test')).resolves.toEqual([
      { address: '127.0.0.1', family: 4 },
    ]);
    expect(dns.queries).toEqual(
      expect.arrayContaining([`hooks.example.test/${A}`, `hooks.example.test/${AAAA}`]),
    );
  });

  it('answers localhost with loopback without asking a server', async () => {
    const before = dns.queries.length;
    await expect(resolverOf(1000)('localhost')).resolves.toEqual([
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ]);
    expect(dns.queries).toHaveLength(before);
  });

  it('fails an unknown name as not found', async () => {
    await expect(resolverOf(1000)('nowhere.example.test')).rejects.toMatchObject({
      code: 'ENOTFOUND',
    });
  });

  it('gives up on a server that never answers at its bound', async () => {
    const { value, ms } = await timed(() =>
      resolverOf(300)('hooks.silent.test').then(
        () => undefined,
        (error: unknown) => error,
      ),
    );
    expect(value).toBeInstanceOf(DnsTimeoutError);
    expect(value).toMatchObject({
      code: 'ETIMEOUT',
      message: 'DNS resolution of hooks.silent.test took longer than 300 ms',
    });
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(1000);
  });
});

describe('a slow DNS answer', () => {
  it('fails the attempt at the DNS bound with a clear reason, long before the attempt timeout, and is retried', async () => {
    const sender = new HttpSender({
      timeoutMs: 10_000,
      allowHttp: true,
      policy: { allowLoopback: true },
      resolve: resolverOf(300),
    });
    const { value: result, ms } = await timed(() =>
      sender.send({
        url: `http://hooks.silent.test:${receiver.port}/hooks`,
        body: '{}',
        headers: {},
      }),
    );

    expect(result).toMatchObject({
      kind: 'network',
      error: 'DNS resolution of hooks.silent.test took longer than 300 ms (ETIMEOUT)',
    });
    expect(ms).toBeLessThan(1500);
    expect(judgeAttempt(result, new Date())).toMatchObject({ outcome: 'retry' });
    expect(receiver.connections).toBe(0);
  });

  it('delivers to a name that resolves in time', async () => {
    const sender = new HttpSender({
      timeoutMs: 2000,
      allowHttp: true,
      policy: { allowLoopback: true },
      resolve: resolverOf(1000),
    });
    const result = await sender.send({
      url: `http://hooks.example.test:${receiver.port}/hooks`,
      body: '{}',
      headers: {},
    });
    expect(result).toMatchObject({ kind: 'response', status: 200 });
  });

  it('refuses registration with a clear reason when the name does not resolve in time', async () => {
    const policy = new EndpointUrlPolicy(
      { allowHttp: false, allowLoopback: false },
      resolverOf(300),
    );
    await expect(policy.check('https://hooks.silent.test/webhooks')).resolves.toEqual({
      ok: false,
      param: 'url',
      code: 'url_unresolvable',
      message: 'url is not allowed: DNS resolution of hooks.silent.test took longer than 300 ms.',
    });
  });
});
