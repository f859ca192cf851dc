import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { GatewayConfig } from '../config';

const ONE_SECOND_MS = 1000;

/**
 * Budgets of requests that do not authenticate, kept in @nestjs/throttler's storage (sliding
 * windows): failed authentications per client address, and database lookups of keys not known
 * to be good across all clients, so a flood of made-up keys from many addresses cannot keep
 * Postgres busy. Each method counts one attempt and returns the seconds to wait when the
 * attempt is over its budget (then it is not counted, and nothing should be looked up).
 */
@Injectable()
export class AuthAttemptLimiter {
  constructor(
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
    private readonly config: GatewayConfig,
  ) {}

  failure(client: string): Promise<number | undefined> {
    return this.take(
      `auth-failures:${client}`,
      this.config.AUTH_FAILURE_LIMIT,
      this.config.AUTH_FAILURE_WINDOW_MS,
    );
  }

  lookup(): Promise<number | undefined> {
    return this.take('auth-lookups', this.config.AUTH_LOOKUPS_PER_SECOND, ONE_SECOND_MS);
  }

  private async take(key: string, limit: number, windowMs: number): Promise<number | undefined> {
    // No block duration: a refused attempt does not extend the wait, as for the merchant budget.
    const { isBlocked, timeToBlockExpire } = await this.storage.increment(
      key,
      windowMs,
      limit,
      0,
      'auth',
    );
    return isBlocked ? Math.max(1, timeToBlockExpire) : undefined;
  }
}
