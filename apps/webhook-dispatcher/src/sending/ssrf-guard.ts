import type { LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

// The SSRF guard: an endpoint may only reach public unicast addresses, checked at
// registration and again, at delivery, on the very addresses the socket is about to connect to.

export interface AddressPolicy {
  /** Development and tests only: lets endpoints reach 127.0.0.0/8 and ::1. */
  allowLoopback: boolean;
}

export type AddressVerdict = { allowed: true } | { allowed: false; range: string };

/** Resolves a host name to every address it has, as `dns.lookup` with `all: true` does. */
export type HostResolver = (hostname: string) => Promise<LookupAddress[]>;

/**
 * A refusal by the guard; `code` lets callers tell it from a network error. The message is for
 * the merchant and names the kind of address, never the address a name resolved to (that would
 * map the network behind the dispatcher); `address` is for the logs.
 */
export class AddressNotAllowedError extends Error {
  override readonly name = 'AddressNotAllowedError';
  readonly code = 'ERR_ADDRESS_NOT_ALLOWED';

  constructor(
    readonly hostname: string,
    readonly address: string,
    readonly range: string,
  ) {
    super(
      hostname === address
        ? `${address} is ${describeRange(range)}, which is not allowed`
        : `${hostname} resolves to ${describeRange(range)}, which is not allowed`,
    );
  }
}

// NAT64's well-known prefix carries an IPv4 address in its last 32 bits; judge that address.
const NAT64 = ipaddr.parseCIDR('64:ff9b::/96');
// Outside 2000::/3 nothing is assigned as global unicast (ipaddr.js calls much of it "unicast").
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/**
 * The ipaddr.js range an address falls in (`unicast` for a public one), after unwrapping the
 * IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) address.
 * Anything that does not parse as an IP address is `invalid`.
 */
export function rangeOf(address: string): string {
  if (!ipaddr.isValid(address) || isIP(address.split('%')[0] ?? '') === 0) return 'invalid';
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') return parsed.range();
  const v6 = parsed as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().range();
  if (v6.match(NAT64)) return ipaddr.fromByteArray(v6.toByteArray().slice(12)).range();
  const range = v6.range();
  if (range === 'unicast' && !v6.match(GLOBAL_UNICAST_V6)) return 'reserved';
  return range;
}

export function checkAddress(address: string, policy: AddressPolicy): AddressVerdict {
  const range = rangeOf(address);
  if (range === 'unicast' || (range === 'loopback' && policy.allowLoopback)) {
    return { allowed: true };
  }
  return { allowed: false, range };
}

export type HostCheck =
  | { ok: true; addresses: string[] }
  | { ok: false; reason: 'unresolvable'; message: string }
  | { ok: false; reason: 'not_allowed'; message: string; address: string; range: string };

/** A URL's `hostname` without the brackets around an IPv6 literal. */
export const bareHost = (hostname: string): string =>
  hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;

/**
 * Registration-time check: every address the host resolves to must be allowed (one private
 * address among public ones is refused, as a connection could land on it).
 */
export async function checkHost(
  hostname: string,
  policy: AddressPolicy,
  resolve: HostResolver,
): Promise<HostCheck> {
  const host = bareHost(hostname);
  let addresses: string[];
  if (isIP(host) !== 0) {
    addresses = [host];
  } else {
    try {
      addresses = (await resolve(host)).map((found) => found.address);
    } catch (error) {
      const timedOut = (error as NodeJS.ErrnoException).code === 'ETIMEOUT';
      return {
        ok: false,
        reason: 'unresolvable',
        message: timedOut ? (error as Error).message : `${host} does not resolve`,
      };
    }
    if (addresses.length === 0) {
      return { ok: false, reason: 'unresolvable', message: `${host} does not resolve` };
    }
  }
  for (const address of addresses) {
    const verdict = checkAddress(address, policy);
    if (!verdict.allowed) {
      const refusal = new AddressNotAllowedError(host, address, verdict.range);
      return {
        ok: false,
        reason: 'not_allowed',
        message: refusal.message,
        address,
        range: verdict.range,
      };
    }
  }
  return { ok: true, addresses };
}

/**
 * Delivery-time guard, as the `lookup` option of a socket: the addresses handed to the socket are
 * the ones checked, so a host that re-resolves to an internal address (DNS rebinding) fails here,
 * before any connection is attempted. IP-literal hosts skip `lookup`: check them with
 * `checkAddress` before the request.
 */
export function guardedLookup(policy: AddressPolicy, resolve: HostResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname)
      .then((found) => {
        const family = options.family === 4 || options.family === 6 ? options.family : undefined;
        const candidates =
          family === undefined ? found : found.filter((entry) => entry.family === family);
        const first = candidates[0];
        if (first === undefined) {
          throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
            code: 'ENOTFOUND',
          });
        }
        for (const entry of candidates) {
          const verdict = checkAddress(entry.address, policy);
          if (!verdict.allowed) {
            throw new AddressNotAllowedError(hostname, entry.address, verdict.range);
          }
        }
        if (options.all === true) callback(null, candidates);
        else callback(null, first.address, first.family);
      })
      .catch((error: unknown) => {
        callback(error instanceof Error ? error : new Error(String(error)), []);
      });
  };
}

const RANGE_WORDS: Record<string, string> = {
  private: 'a private address',
  uniqueLocal: 'a private (unique local) address',
  loopback: 'a loopback address',
  linkLocal: 'a link-local address',
  carrierGradeNat: 'a shared (CGNAT) address',
  multicast: 'a multicast address',
  unspecified: 'an unspecified address',
  broadcast: 'the broadcast address',
  invalid: 'not an IP address',
};

export const describeRange = (range: string): string =>
  RANGE_WORDS[range] ?? `a reserved address (${range})`;
