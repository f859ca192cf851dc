// What an attempt's result means for its delivery, and when the next attempt is due. Pure: the
// clock and the random source come in as parameters.

/** What one attempt to send a webhook came to, as the sender saw it. */
export type SendResult =
  | { kind: 'response'; status: number; retryAfter: string | undefined; durationMs: number }
  /** No response status within the timeout. */
  | { kind: 'timeout'; error: string; durationMs: number }
  /** DNS, connection or TLS failure. */
  | { kind: 'network'; error: string; durationMs: number }
  /**
   * Not sent: the URL or the address it resolved to is not allowed. `error` never names a
   * resolved address; `address` does, for the logs only.
   */
  | { kind: 'refused'; error: string; address?: string; durationMs: number }
  /** The caller gave up (the worker is stopping); the outcome is unknown. */
  | { kind: 'aborted'; error: string; durationMs: number };

/** Each delay is spread by up to ±20 %, so endpoints that failed together are not retried together. */
export const JITTER_RATIO = 0.2;

/** A Retry-After further away than this is cut to it; a receiver cannot park a delivery for days. */
export const MAX_RETRY_AFTER_MS = 24 * 3600 * 1000;

export type AttemptVerdict =
  | { outcome: 'succeeded' }
  /** Timeouts, connection errors, 5xx and 429: worth another attempt. */
  | { outcome: 'retry'; error: string; retryAfterMs?: number }
  /** Any other answer: trying again would get the same. `gone` (410) disables the endpoint. */
  | { outcome: 'failed'; error: string; gone: boolean };

export function judgeAttempt(result: SendResult, now: Date): AttemptVerdict {
  switch (result.kind) {
    case 'response': {
      const { status } = result;
      if (status >= 200 && status < 300) return { outcome: 'succeeded' };
      if (status === 429 || status >= 500) {
        const retryAfterMs = parseRetryAfter(result.retryAfter, now);
        return {
          outcome: 'retry',
          error: `HTTP ${status}`,
          ...(retryAfterMs !== undefined && { retryAfterMs }),
        };
      }
      if (status >= 300 && status < 400) {
        return {
          outcome: 'failed',
          error: `HTTP ${status}: redirects are not followed`,
          gone: false,
        };
      }
      return { outcome: 'failed', error: `HTTP ${status}`, gone: status === 410 };
    }
    case 'timeout':
    case 'network':
      return { outcome: 'retry', error: result.error };
    case 'refused':
      return { outcome: 'failed', error: result.error, gone: false };
    case 'aborted':
      // The worker stops: the attempt is left to its lease and never judged.
      throw new Error('an aborted attempt has no verdict');
    default: {
      const unhandled: never = result;
      throw new Error(`unknown send result ${JSON.stringify(unhandled)}`);
    }
  }
}

/**
 * Retry-After as delay-seconds ("120") or an HTTP date; undefined when absent or unreadable. A
 * date in the past means "now".
 */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  let delayMs: number;
  if (/^\d+$/.test(trimmed)) {
    delayMs = Number(trimmed) * 1000;
  } else {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at) || !/[a-z]/i.test(trimmed)) return undefined;
    delayMs = Math.max(0, at - now.getTime());
  }
  return Math.min(delayMs, MAX_RETRY_AFTER_MS);
}

/** `delayMs` spread uniformly over ±JITTER_RATIO; `random` returns [0, 1) as Math.random does. */
export const withJitter = (delayMs: number, random: () => number): number =>
  Math.round(delayMs * (1 - JITTER_RATIO + 2 * JITTER_RATIO * random()));

/** The delay before attempt `attempt` (1-based), jittered; undefined past the schedule's end. */
export function delayBeforeAttempt(
  schedule: readonly number[],
  attempt: number,
  random: () => number,
): number | undefined {
  const base = schedule[attempt - 1];
  return base === undefined ? undefined : withJitter(base, random);
}

export interface AttemptContext {
  /** The attempt just made, 1-based. */
  attempt: number;
  /** Attempts this delivery may make in all (the schedule's length, or one more after a resend). */
  maxAttempts: number;
  schedule: readonly number[];
  now: Date;
  random: () => number;
}

export type DeliveryOutcome =
  | { status: 'succeeded' }
  | { status: 'pending'; nextAttemptAt: Date }
  | { status: 'failed'; disableEndpoint: boolean };

/** The delivery's state after an attempt judged `verdict`. */
export function decideAfterAttempt(
  verdict: AttemptVerdict,
  context: AttemptContext,
): DeliveryOutcome {
  switch (verdict.outcome) {
    case 'succeeded':
      return { status: 'succeeded' };
    case 'failed':
      return { status: 'failed', disableEndpoint: verdict.gone };
    case 'retry': {
      const scheduled =
        context.attempt < context.maxAttempts
          ? delayBeforeAttempt(context.schedule, context.attempt + 1, context.random)
          : undefined;
      if (scheduled === undefined) return { status: 'failed', disableEndpoint: false };
      const delayMs = Math.max(scheduled, verdict.retryAfterMs ?? 0);
      return { status: 'pending', nextAttemptAt: new Date(context.now.getTime() + delayMs) };
    }
    default: {
      const unhandled: never = verdict;
      throw new Error(`unknown verdict ${JSON.stringify(unhandled)}`);
    }
  }
}

/** A new delivery's first attempt: after the schedule's first delay, jittered. */
export const firstAttempt = (
  schedule: readonly number[],
  random: () => number,
): { delayMs: number; maxAttempts: number } => ({
  delayMs: delayBeforeAttempt(schedule, 1, random) ?? 0,
  maxAttempts: schedule.length,
});

/** How soon a worker looks again at deliveries that are due but were not claimed. */
export const DUE_RECHECK_MS = 250;

/**
 * How long the worker sleeps before it claims again: until the next delivery can be claimed
 * (`untilDueMs`, undefined when none waits), never past the safety poll, and at least 1 ms.
 */
export const pauseBeforeClaim = (untilDueMs: number | undefined, pollMs: number): number =>
  untilDueMs === undefined ? pollMs : Math.max(1, Math.min(pollMs, untilDueMs));
