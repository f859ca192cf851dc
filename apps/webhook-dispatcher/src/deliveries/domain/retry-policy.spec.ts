import {
  decideAfterAttempt,
  delayBeforeAttempt,
  firstAttempt,
  judgeAttempt,
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
  pauseBeforeClaim,
  withJitter,
  type AttemptContext,
  type SendResult,
} from './retry-policy';

const now = new Date('2026-03-15T10:30:00.000Z');
const response = (status: number, retryAfter?: string): SendResult => ({
  kind: 'response',
  status,
  retryAfter,
  durationMs: 12,
});
const DEFAULT_SCHEDULE = [
  0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
];
const middle = (): number => 0.5;

describe('judgeAttempt', () => {
  it.each([200, 201, 202, 204, 299])('counts HTTP %i as delivered', (status) => {
    expect(judgeAttempt(response(status), now)).toEqual({ outcome: 'succeeded' });
  });

  it.each([500, 502, 503, 504, 429])('retries HTTP %i', (status) => {
    expect(judgeAttempt(response(status), now)).toEqual({
      outcome: 'retry',
      error: `HTTP ${status}`,
    });
  });

  it('retries timeouts and connection errors', () => {
    expect(
      judgeAttempt({ kind: 'timeout', error: 'no response within 10 ms', durationMs: 10 }, now),
    ).toEqual({ outcome: 'retry', error: 'no response within 10 ms' });
    expect(
      judgeAttempt({ kind: 'network', error: 'connect ECONNREFUSED', durationMs: 1 }, now),
    ).toEqual({ outcome: 'retry', error: 'connect ECONNREFUSED' });
  });

  it('carries Retry-After with a 429 or a 5xx', () => {
    expect(judgeAttempt(response(429, '7'), now)).toEqual({
      outcome: 'retry',
      error: 'HTTP 429',
      retryAfterMs: 7000,
    });
    expect(judgeAttempt(response(503, '2'), now)).toMatchObject({ retryAfterMs: 2000 });
  });

  it.each([400, 401, 403, 404, 405, 409, 413, 422])('fails HTTP %i without retrying', (status) => {
    expect(judgeAttempt(response(status), now)).toEqual({
      outcome: 'failed',
      error: `HTTP ${status}`,
      gone: false,
    });
  });

  it('fails 410 Gone and marks the endpoint gone', () => {
    expect(judgeAttempt(response(410), now)).toEqual({
      outcome: 'failed',
      error: 'HTTP 410',
      gone: true,
    });
  });

  it.each([301, 302, 303, 307, 308])(
    'fails a %i redirect without following or retrying',
    (status) => {
      expect(judgeAttempt(response(status), now)).toEqual({
        outcome: 'failed',
        error: `HTTP ${status}: redirects are not followed`,
        gone: false,
      });
    },
  );

  it('fails a refused address without retrying', () => {
    expect(
      judgeAttempt({ kind: 'refused', error: 'x resolves to 10.0.0.1', durationMs: 0 }, now),
    ).toEqual({ outcome: 'failed', error: 'x resolves to 10.0.0.1', gone: false });
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
  });

  it('reads an HTTP date as the time left until it', () => {
    expect(parseRetryAfter('Sun, 15 Mar 2026 10:30:30 GMT', now)).toBe(30_000);
  });

  it('treats a date in the past as now', () => {
    expect(parseRetryAfter('Sun, 15 Mar 2026 10:00:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
  });

  it('caps a far-away Retry-After at a day', () => {
    expect(parseRetryAfter(String(365 * 24 * 3600), now)).toBe(MAX_RETRY_AFTER_MS);
  });
});

describe('withJitter', () => {
  it('spreads a delay over ±20 %', () => {
    expect(withJitter(10_000, () => 0)).toBe(8_000);
    expect(withJitter(10_000, () => 0.5)).toBe(10_000);
    expect(withJitter(10_000, () => 0.999_999)).toBe(12_000);
  });

  it('keeps an immediate attempt immediate', () => {
    expect(withJitter(0, Math.random)).toBe(0);
  });

  it('stays within its bounds for any random draw', () => {
    for (let i = 0; i < 1000; i++) {
      const delay = withJitter(300_000, Math.random);
      expect(delay).toBeGreaterThanOrEqual(240_000);
      expect(delay).toBeLessThanOrEqual(360_000);
    }
  });
});

describe('delayBeforeAttempt', () => {
  it('follows the default schedule: now, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h', () => {
    expect(
      DEFAULT_SCHEDULE.map((_, i) => delayBeforeAttempt(DEFAULT_SCHEDULE, i + 1, middle)),
    ).toEqual(DEFAULT_SCHEDULE);
  });

  it('has nothing past the schedule', () => {
    expect(delayBeforeAttempt(DEFAULT_SCHEDULE, 9, middle)).toBeUndefined();
  });
});

describe('decideAfterAttempt', () => {
  const context = (attempt: number, overrides: Partial<AttemptContext> = {}): AttemptContext => ({
    attempt,
    maxAttempts: DEFAULT_SCHEDULE.length,
    schedule: DEFAULT_SCHEDULE,
    now,
    random: middle,
    ...overrides,
  });
  const retry = { outcome: 'retry', error: 'HTTP 500' } as const;

  it('ends a delivered attempt', () => {
    expect(decideAfterAttempt({ outcome: 'succeeded' }, context(3))).toEqual({
      status: 'succeeded',
    });
  });

  it('schedules the next attempt by the schedule entry that follows', () => {
    expect(decideAfterAttempt(retry, context(1))).toEqual({
      status: 'pending',
      nextAttemptAt: new Date(now.getTime() + 5_000),
    });
    expect(decideAfterAttempt(retry, context(2))).toEqual({
      status: 'pending',
      nextAttemptAt: new Date(now.getTime() + 300_000),
    });
  });

  it('backs off exponentially-ish with jitter', () => {
    const low = decideAfterAttempt(retry, context(3, { random: () => 0 }));
    const high = decideAfterAttempt(retry, context(3, { random: () => 0.75 }));
    expect(low).toEqual({ status: 'pending', nextAttemptAt: new Date(now.getTime() + 1_440_000) });
    expect(high).toEqual({ status: 'pending', nextAttemptAt: new Date(now.getTime() + 1_980_000) });
  });

  it('waits at least as long as Retry-After asks', () => {
    expect(decideAfterAttempt({ ...retry, retryAfterMs: 60_000 }, context(1))).toEqual({
      status: 'pending',
      nextAttemptAt: new Date(now.getTime() + 60_000),
    });
    // A shorter Retry-After does not bring the schedule forward.
    expect(decideAfterAttempt({ ...retry, retryAfterMs: 1_000 }, context(2))).toEqual({
      status: 'pending',
      nextAttemptAt: new Date(now.getTime() + 300_000),
    });
  });

  it('fails the delivery after the last attempt of the schedule', () => {
    expect(decideAfterAttempt(retry, context(8))).toEqual({
      status: 'failed',
      disableEndpoint: false,
    });
  });

  it('fails after a resend’s single extra attempt, wherever the schedule stands', () => {
    expect(decideAfterAttempt(retry, context(2, { maxAttempts: 2 }))).toEqual({
      status: 'failed',
      disableEndpoint: false,
    });
  });

  it('fails at once without retry, disabling the endpoint only for 410', () => {
    expect(
      decideAfterAttempt({ outcome: 'failed', error: 'HTTP 400', gone: false }, context(1)),
    ).toEqual({ status: 'failed', disableEndpoint: false });
    expect(
      decideAfterAttempt({ outcome: 'failed', error: 'HTTP 410', gone: true }, context(1)),
    ).toEqual({ status: 'failed', disableEndpoint: true });
  });
});

describe('firstAttempt', () => {
  it('is due after the schedule’s first delay, jittered, with as many attempts as the schedule has', () => {
    expect(firstAttempt([1000, 5000, 9000], middle)).toEqual({ delayMs: 1000, maxAttempts: 3 });
    expect(firstAttempt([1000, 5000], () => 0)).toEqual({ delayMs: 800, maxAttempts: 2 });
  });
});

describe('pauseBeforeClaim', () => {
  it('sleeps until the next delivery can be claimed', () => {
    expect(pauseBeforeClaim(120, 1000)).toBe(120);
  });

  it('never sleeps past the safety poll, nor less than 1 ms', () => {
    expect(pauseBeforeClaim(5000, 1000)).toBe(1000);
    expect(pauseBeforeClaim(0, 1000)).toBe(1);
    expect(pauseBeforeClaim(-40, 1000)).toBe(1);
  });

  it('sleeps the safety poll when no delivery waits', () => {
    expect(pauseBeforeClaim(undefined, 1000)).toBe(1000);
  });
});
