import { Injectable } from '@nestjs/common';
import { MerchantDirectory, type ActiveKey } from '../merchants/merchant-directory';
import { AuthAttemptLimiter } from '../rate-limit/auth-attempt-limiter';
import { hashApiKey } from './api-key';
import { RecentMap } from './recent-map';

/** Revocation takes effect within this time: the cache is the only delay. */
export const AUTH_CACHE_TTL_MS = 2000;
const MAX_KNOWN_KEYS = 10_000;
const MAX_UNKNOWN_KEYS = 10_000;

export type Authentication =
  | { outcome: 'authenticated'; key: ActiveKey }
  | { outcome: 'refused' }
  /** Over a budget of failed authentications or lookups: nothing was looked up. */
  | { outcome: 'throttled'; retryAfterSeconds: number };

interface KnownKey {
  key: ActiveKey;
  checkedAt: number;
}

/**
 * Resolves an API key to its merchant, by digest. Keys that resolved are cached for two seconds
 * and then checked again, whatever the budgets. Keys that did not resolve sit in a cache of
 * their own, so a flood of made-up keys cannot push the known ones out; every other lookup is
 * paid for from the client's budget of failed authentications and the global lookup budget.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly known = new RecentMap<string, KnownKey>(MAX_KNOWN_KEYS);
  /** Digest → until when it is known not to resolve. */
  private readonly unknown = new RecentMap<string, number>(MAX_UNKNOWN_KEYS);

  constructor(
    private readonly directory: MerchantDirectory,
    private readonly limiter: AuthAttemptLimiter,
  ) {}

  async authenticate(apiKey: string, client: string, now = Date.now()): Promise<Authentication> {
    const digest = hashApiKey(apiKey);
    const known = this.known.get(digest);
    if (known !== undefined && now - known.checkedAt < AUTH_CACHE_TTL_MS) {
      return { outcome: 'authenticated', key: known.key };
    }
    if (known === undefined) {
      if ((this.unknown.get(digest) ?? 0) > now) return this.refuse(client);
      const wait = (await this.limiter.failure(client)) ?? (await this.limiter.lookup());
      if (wait !== undefined) return { outcome: 'throttled', retryAfterSeconds: wait };
    }
    const key = await this.directory.findActiveKey(digest);
    if (key !== undefined) {
      this.known.set(digest, { key, checkedAt: now });
      return { outcome: 'authenticated', key };
    }
    this.known.delete(digest);
    this.unknown.set(digest, now + AUTH_CACHE_TTL_MS);
    // A key that was good until now (revoked) counts as a failure; an unknown one already did.
    return known === undefined ? { outcome: 'refused' } : this.refuse(client);
  }

  /** A request without a usable key: refused, or throttled once the client is over its budget. */
  async refuse(client: string): Promise<Authentication> {
    const wait = await this.limiter.failure(client);
    return wait === undefined
      ? { outcome: 'refused' }
      : { outcome: 'throttled', retryAfterSeconds: wait };
  }
}
