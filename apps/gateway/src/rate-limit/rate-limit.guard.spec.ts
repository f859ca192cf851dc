import { generateApiKey, hashApiKey } from '../auth/api-key';
import { rateLimitTracker } from './rate-limit.guard';

describe('rateLimitTracker', () => {
  it('counts a request against the digest of its API key, never the key itself', () => {
    const key = generateApiKey();
    const tracker = rateLimitTracker({
      headers: { authorization: `Bearer ${key}` },
      ip: '10.0.0.1',
    });
    expect(tracker).toBe(`key:${hashApiKey(key)}`);
    expect(tracker).not.toContain(key);
  });

  it('counts two keys from one address separately', () => {
    const ip = '10.0.0.1';
    const first = rateLimitTracker({
      headers: { authorization: `Bearer ${generateApiKey()}` },
      ip,
    });
    const second = rateLimitTracker({
      headers: { authorization: `Bearer ${generateApiKey()}` },
      ip,
    });
    expect(first).not.toBe(second);
  });

  it('counts a request without a well-formed key against its address', () => {
    expect(rateLimitTracker({ headers: {}, ip: '10.0.0.2' })).toBe('ip:10.0.0.2');
    expect(rateLimitTracker({ headers: { authorization: 'Bearer nope' }, ip: '10.0.0.2' })).toBe(
      'ip:10.0.0.2',
    );
  });
});
