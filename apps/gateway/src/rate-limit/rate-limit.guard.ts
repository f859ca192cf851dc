import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { credentialsOf, hashApiKey } from '../auth/api-key';
import { ApiError } from '../errors/api-error';

/**
 * Who a request counts against: the API key it presents (by digest, so no secret sits in
 * memory), else the client's address. It runs before authentication, so a flood of bad keys is
 * limited too.
 */
export function rateLimitTracker(request: Pick<FastifyRequest, 'headers' | 'ip'>): string {
  const credentials = credentialsOf(request.headers.authorization);
  return credentials.kind === 'api_key' ? `key:${hashApiKey(credentials.key)}` : `ip:${request.ip}`;
}

/** @nestjs/throttler, one budget per key across all routes, answered in the API's error shape. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    return Promise.resolve(rateLimitTracker(request as unknown as FastifyRequest));
  }

  // The library keys by class and handler: one budget per route. The budget is per key.
  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    name: string,
  ): string {
    return `${name}:${tracker}`;
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw ApiError.of('rate_limited', {
      headers: { 'Retry-After': String(Math.max(1, detail.timeToBlockExpire)) },
    });
  }
}
