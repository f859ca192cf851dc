import type { LookupAddress } from 'node:dns';
import {
  AddressNotAllowedError,
  checkAddress,
  checkHost,
  guardedLookup,
  rangeOf,
  type HostResolver,
} from './ssrf-guard';

const strict = { allowLoopback: false };
const development = { allowLoopback: true };

const resolverOf =
  (table: Record<string, string[]>): HostResolver =>
  (hostname) => {
    const addresses = table[hostname];
    if (addresses === undefined) {
      return Promise.reject(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' }));
    }
    return Promise.resolve(
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  };

describe('checkAddress', () => {
  it.each([
    ['8.8.8.8'],
    ['1.1.1.1'],
    ['93.184.216.34'],
    ['100.63.255.255'], // just below CGNAT
    ['100.128.0.0'], // just above CGNAT
    ['172.15.255.255'], // just below 172.16/12
    ['172.32.0.0'], // just above it
    ['2606:4700:4700::1111'],
    ['2a00:1450:4001:82b::200e'],
    ['::ffff:8.8.8.8'], // IPv4-mapped public
    ['64:ff9b::808:808'], // NAT64 of 8.8.8.8
  ])('allows the public address %s', (address) => {
    expect(checkAddress(address, strict)).toEqual({ allowed: true });
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'], // cloud metadata
    ['169.254.0.1', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['fe80::1%eth0', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.127.255.254', 'carrierGradeNat'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'reserved'], // TEST-NET-1
    ['198.18.0.1', 'reserved'], // benchmarking
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456:789a::1', 'uniqueLocal'],
    ['2001:db8::1', 'reserved'], // documentation
    ['::ffff:127.0.0.1', 'loopback'], // IPv4-mapped
    ['::ffff:7f00:1', 'loopback'], // the same, in hex
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['::ffff:100.64.0.1', 'carrierGradeNat'],
    ['::ffff:0.0.0.0', 'unspecified'],
    ['64:ff9b::a00:1', 'private'], // NAT64 of 10.0.0.1
    ['64:ff9b::7f00:1', 'loopback'], // NAT64 of 127.0.0.1
    ['::7f00:1', 'reserved'], // deprecated IPv4-compatible form
    ['2002:7f00:1::1', '6to4'],
    ['2001::1', 'teredo'],
  ])('refuses %s (%s)', (address, range) => {
    expect(checkAddress(address, strict)).toEqual({ allowed: false, range });
  });

  it('refuses what is not an IP address', () => {
    expect(checkAddress('example.com', strict)).toEqual({ allowed: false, range: 'invalid' });
    expect(checkAddress('2130706433', strict)).toEqual({ allowed: false, range: 'invalid' });
    expect(checkAddress('0x7f.1', strict)).toEqual({ allowed: false, range: 'invalid' });
  });

  it('allows loopback, and loopback only, when configuration lists it', () => {
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      expect(checkAddress(address, development)).toEqual({ allowed: true });
    }
    for (const address of ['10.0.0.1', '169.254.169.254', '192.168.0.1', '0.0.0.0']) {
      expect(checkAddress(address, development).allowed).toBe(false);
    }
  });
});

describe('rangeOf', () => {
  it('judges the IPv4 address inside an IPv4-mapped IPv6 address', () => {
    expect(rangeOf('::ffff:192.168.0.1')).toBe('private');
    expect(rangeOf('::ffff:c0a8:1')).toBe('private');
  });
});

describe('checkHost', () => {
  const resolve = resolverOf({
    'hooks.example.com': ['93.184.216.34'],
    'internal.example.com': ['10.0.0.5'],
    'mixed.example.com': ['93.184.216.34', '169.254.169.254'],
    'six.example.com': ['2606:4700::6810:84e5'],
    'mapped.example.com': ['::ffff:127.0.0.1'],
    localhost: ['127.0.0.1', '::1'],
  });

  it('accepts a host whose every address is public', async () => {
    await expect(checkHost('hooks.example.com', strict, resolve)).resolves.toEqual({
      ok: true,
      addresses: ['93.184.216.34'],
    });
    await expect(checkHost('six.example.com', strict, resolve)).resolves.toMatchObject({
      ok: true,
    });
  });

  it('refuses a host resolving to a private address, naming the address for the logs only', async () => {
    await expect(checkHost('internal.example.com', strict, resolve)).resolves.toEqual({
      ok: false,
      reason: 'not_allowed',
      address: '10.0.0.5',
      range: 'private',
      message: 'internal.example.com resolves to a private address, which is not allowed',
    });
  });

  it('refuses a host with one internal address among public ones', async () => {
    await expect(checkHost('mixed.example.com', strict, resolve)).resolves.toMatchObject({
      ok: false,
      address: '169.254.169.254',
      range: 'linkLocal',
    });
  });

  it('refuses IPv4-mapped loopback behind a name', async () => {
    await expect(checkHost('mapped.example.com', strict, resolve)).resolves.toMatchObject({
      ok: false,
      range: 'loopback',
    });
  });

  it('judges an IP literal without resolving it', async () => {
    const never: HostResolver = () => Promise.reject(new Error('must not resolve a literal'));
    await expect(checkHost('[::ffff:10.0.0.1]', strict, never)).resolves.toMatchObject({
      ok: false,
      address: '::ffff:10.0.0.1',
      range: 'private',
      message: '::ffff:10.0.0.1 is a private address, which is not allowed',
    });
    await expect(checkHost('8.8.8.8', strict, never)).resolves.toMatchObject({ ok: true });
  });

  it('allows localhost only in development', async () => {
    await expect(checkHost('localhost', strict, resolve)).resolves.toMatchObject({ ok: false });
    await expect(checkHost('localhost', development, resolve)).resolves.toMatchObject({
      ok: true,
    });
  });

  it('reports a host that does not resolve', async () => {
    await expect(checkHost('nowhere.invalid', strict, resolve)).resolves.toEqual({
      ok: false,
      reason: 'unresolvable',
      message: 'nowhere.invalid does not resolve',
    });
  });
});

describe('guardedLookup', () => {
  const resolve = resolverOf({
    'hooks.example.com': ['93.184.216.34', '2606:4700::6810:84e5'],
    'rebound.example.com': ['10.0.0.5'],
  });
  const lookup = guardedLookup(strict, resolve);
  const call = (hostname: string, options: { all?: boolean; family?: number }) =>
    new Promise<{ error: Error | null; address: string | LookupAddress[]; family?: number }>(
      (done) => {
        lookup(hostname, options, (error, address, family) => {
          done({ error, address, family });
        });
      },
    );

  it('hands every allowed address to a socket that asks for all', async () => {
    await expect(call('hooks.example.com', { all: true })).resolves.toEqual({
      error: null,
      address: [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:4700::6810:84e5', family: 6 },
      ],
      family: undefined,
    });
  });

  it('hands the first address of the asked family otherwise', async () => {
    await expect(call('hooks.example.com', { family: 6 })).resolves.toEqual({
      error: null,
      address: '2606:4700::6810:84e5',
      family: 6,
    });
  });

  it('fails the lookup, so no connection starts, for an internal address', async () => {
    const { error } = await call('rebound.example.com', { all: true });
    expect(error).toBeInstanceOf(AddressNotAllowedError);
    expect(error).toMatchObject({ code: 'ERR_ADDRESS_NOT_ALLOWED', address: '10.0.0.5' });
  });

  it('passes a resolution failure on', async () => {
    const { error } = await call('nowhere.invalid', {});
    expect(error).toMatchObject({ code: 'ENOTFOUND' });
  });
});
