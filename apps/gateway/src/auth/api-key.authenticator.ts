import { Injectable } from '@nestjs/common';
import { MerchantDirectory, type ActiveKey } from '../merchants/merchant-directory';
import { hashApiKey } from './api-key';

/** Revocation takes effect within this time: the cache is the only delay. */
export const AUTH_CACHE_TTL_MS = 2000;
const MAX_CACHED_KEYS = 10_000;

interface CacheEntry {
  key: ActiveKey | undefined;
  expiresAt: number;
}

/**
 * Resolves an API key to its merchant. Lookups, found or not, are cached for two seconds so a
 * busy key (or a flood of wrong ones) costs one query per interval, not one per request.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(private readonly directory: MerchantDirectory) {}

  async authenticate(apiKey: string, now = Date.now()): Promise<ActiveKey | undefined> {
    const digest = hashApiKey(apiKey);
    const cached = this.cache.get(digest);
    if (cached && cached.expiresAt > now) return cached.key;
    const key = await this.directory.findActiveKey(digest);
    // Bounded: clearing everything now and then is simpler than an LRU and costs a few queries.
    if (this.cache.size >= MAX_CACHED_KEYS) this.cache.clear();
    this.cache.set(digest, { key, expiresAt: now + AUTH_CACHE_TTL_MS });
    return key;
  }
}
