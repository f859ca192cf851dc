import { promises as dns, type LookupAddress } from 'node:dns';
import type { HostResolver } from './ssrf-guard';

export interface DnsResolverOptions {
  /** The whole resolution of one name, A and AAAA queries together. */
  timeoutMs: number;
  /** `host:port` of the DNS servers to ask; by default the system's (/etc/resolv.conf). */
  servers?: string[];
}

/** A resolution that took longer than its bound; the attempt fails and is retried later. */
export class DnsTimeoutError extends Error {
  override readonly name = 'DnsTimeoutError';
  readonly code = 'ETIMEOUT';

  constructor(hostname: string, timeoutMs: number) {
    super(`DNS resolution of ${hostname} took longer than ${timeoutMs} ms`);
  }
}

// RFC 6761: these names are loopback by definition, and are not asked of DNS servers.
const isLocalhost = (hostname: string): boolean =>
  hostname === 'localhost' || hostname.endsWith('.localhost');
const LOOPBACK: LookupAddress[] = [
  { address: '127.0.0.1', family: 4 },
  { address: '::1', family: 6 },
];

/**
 * Resolves with DNS queries (c-ares) bounded by `timeoutMs`, rather than `dns.lookup`:
 * getaddrinfo runs on libuv's small thread pool and cannot be cancelled, so a few slow names
 * would hold every lookup of the process, everyone's deliveries included. Outstanding queries
 * are cancelled at the bound. The hosts file is not read (webhooks go to public names);
 * `localhost` still means loopback, which the SSRF guard allows only in development.
 */
export function dnsResolver(options: DnsResolverOptions): HostResolver {
  return async (hostname) => {
    if (isLocalhost(hostname)) return LOOPBACK;
    // One resolver per name, so cancelling at the bound ends only this name's queries.
    const resolver = new dns.Resolver({
      timeout: Math.max(50, Math.floor(options.timeoutMs / 2)),
      tries: 2,
    });
    if (options.servers !== undefined) resolver.setServers(options.servers);
    // At the bound, cancelling settles every outstanding query (ECANCELLED): the addresses
    // already found are used, and none found means a timeout.
    const timer = setTimeout(() => {
      resolver.cancel();
    }, options.timeoutMs);
    let results: PromiseSettledResult<string[]>[];
    try {
      results = await Promise.allSettled([
        resolver.resolve4(hostname),
        resolver.resolve6(hostname),
      ]);
    } finally {
      clearTimeout(timer);
    }
    const found = results.flatMap((result, index) =>
      result.status === 'fulfilled'
        ? result.value.map((address) => ({ address, family: index === 0 ? 4 : 6 }))
        : [],
    );
    if (found.length > 0) return found;
    const codes = results.map((result) =>
      result.status === 'rejected' ? (result.reason as NodeJS.ErrnoException).code : undefined,
    );
    if (codes.includes(dns.CANCELLED) || codes.includes(dns.TIMEOUT)) {
      throw new DnsTimeoutError(hostname, options.timeoutMs);
    }
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  };
}
