import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api-error';
import { requestStateOf } from '../http/request-state';

/**
 * Who a request counts against: its merchant, all of the merchant's keys together. The guard runs
 * after authentication; requests that do not authenticate have budgets of their own
 * (AuthAttemptLimiter), checked before any lookup.
 */
export function rateLimitTracker(request: FastifyRequest): string {
  const { merchantId } = requestStateOf(request);
  return merchantId === undefined ? `ip:${request.ip}` : `merchant:${merchantId}`;
}

/** @nestjs/throttler, one budget per merchant across all routes, answered in the API's error shape. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    return Promise.resolve(rateLimitTracker(request as unknown as FastifyRequest));
  }

  // The library keys by class and handler: one budget per route. The budget is per merchant.
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
