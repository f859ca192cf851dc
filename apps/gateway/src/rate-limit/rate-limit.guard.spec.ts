import type { FastifyRequest } from 'fastify';
import { requestStateOf } from '../http/request-state';
import { rateLimitTracker } from './rate-limit.guard';

const requestFrom = (ip: string, merchantId?: string): FastifyRequest => {
  const request = { headers: {}, id: 'req_1', ip } as unknown as FastifyRequest;
  if (merchantId !== undefined) requestStateOf(request).merchantId = merchantId;
  return request;
};

describe('rateLimitTracker', () => {
  it('counts an authenticated request against its merchant, whatever key or address it uses', () => {
    expect(rateLimitTracker(requestFrom('10.0.0.1', 'mer_1'))).toBe('merchant:mer_1');
    expect(rateLimitTracker(requestFrom('10.0.0.2', 'mer_1'))).toBe('merchant:mer_1');
  });

  it('counts two merchants separately', () => {
    expect(rateLimitTracker(requestFrom('10.0.0.1', 'mer_1'))).not.toBe(
      rateLimitTracker(requestFrom('10.0.0.1', 'mer_2')),
    );
  });

  it('falls back to the client address for a request without a merchant', () => {
    expect(rateLimitTracker(requestFrom('10.0.0.2'))).toBe('ip:10.0.0.2');
  });
});
