import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { setMaxListeners } from 'node:events';
import { Counter, Histogram } from 'prom-client';
import type { ListenerLogger } from '@finfusion/event-store';
import { Clock } from '@finfusion/runtime';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_RESEND_COUNT,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from '@opentelemetry/semantic-conventions';
import {
  contextOf,
  endSpan,
  endSpanFailed,
  SpanKind,
  startSpan,
  tracingOn,
  type Span,
} from '@finfusion/tracing';
import { DispatcherConfig } from '../config';
import { DeliveryRepository, type DeliveryJob } from '../deliveries/delivery.repository';
import { ENDPOINT_DISABLED_ERROR } from '../deliveries/domain/delivery';
import {
  decideAfterAttempt,
  DUE_RECHECK_MS,
  judgeAttempt,
  pauseBeforeClaim,
  type SendResult,
} from '../deliveries/domain/retry-policy';
import { SecretBox } from '../endpoints/secret-box';
import { AttemptRecorder } from './attempt-recorder';
import { HttpSender } from './http-sender';
import { signatureHeaders } from './signer';

const attempts = new Counter({
  name: 'webhook_attempts_total',
  help: 'Webhook delivery attempts, by result: succeeded, retry (will be tried again) or failed.',
  labelNames: ['result'],
});

const attemptDuration = new Histogram({
  name: 'webhook_attempt_duration_seconds',
  help: 'Time from sending a webhook to its response status, or to the error that ended it.',
  buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
});

/**
 * Sends due deliveries. One loop claims as many as there are free slots (WEBHOOK_CONCURRENCY);
 * each claimed delivery is attempted on its own, so a slow endpoint holds only its own slots,
 * for at most one timeout each, and merchants take turns for the free ones, none holding more
 * than WEBHOOK_MERCHANT_CONCURRENCY. Several replicas can run this side by side (see `claim`). The
 * loop sleeps until a new delivery's commit notifies it, an attempt ends, or the next retry falls
 * due; WEBHOOK_POLL_MS is only the safety net.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DeliveryWorker');
  private readonly listenerLog: ListenerLogger = {
    error: (obj, msg) => {
      this.logger.error(obj, msg);
    },
    warn: (obj, msg) => {
      this.logger.warn(obj, msg);
    },
    debug: (obj, msg) => {
      this.logger.debug(obj, msg);
    },
  };
  private readonly inFlight = new Set<Promise<void>>();
  private aborter = new AbortController();
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private woken = false;
  private wakeUp: (() => void) | undefined;

  constructor(
    private readonly config: DispatcherConfig,
    private readonly deliveries: DeliveryRepository,
    private readonly recorder: AttemptRecorder,
    private readonly sender: HttpSender,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.aborter = new AbortController();
    // Every attempt in flight listens on the one signal.
    setMaxListeners(this.config.WEBHOOK_CONCURRENCY + 1, this.aborter.signal);
    this.loopDone = this.loop();
  }

  /** Looks for due deliveries now rather than at the next poll (new deliveries, a resend). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /**
   * Stops claiming, gives attempts in flight `graceMs` to finish, then aborts the rest without
   * recording them: like a crash, they stay leased and any replica resumes them once the lease
   * runs out.
   */
  async stop(graceMs = Math.min(this.config.WEBHOOK_TIMEOUT_MS, 5000)): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    await this.loopDone;
    if (this.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise((resolve) => (timer = setTimeout(resolve, graceMs))),
    ]);
    clearTimeout(timer);
    this.aborter.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  private async loop(): Promise<void> {
    // Listening before the first claim: a delivery created from here on wakes the worker.
    const stopListening = await this.deliveries.listenForNew(() => {
      this.wake();
    }, this.listenerLog);
    try {
      while (this.running) {
        const full = await this.claimBatch();
        // A full batch suggests more are due: claim again at once if a slot is free.
        const more = full && this.inFlight.size < this.config.WEBHOOK_CONCURRENCY;
        if (!this.woken && !more) await this.sleep(await this.pause());
      }
    } finally {
      await stopListening();
    }
  }

  /**
   * Until the next retry falls due (or a dead worker's lease runs out), or the safety poll,
   * whichever is sooner. New deliveries, finished attempts and resends wake the worker earlier.
   */
  private async pause(): Promise<number> {
    const poll = this.config.WEBHOOK_POLL_MS;
    try {
      return pauseBeforeClaim(await this.deliveries.msUntilNextDue(DUE_RECHECK_MS), poll);
    } catch {
      return poll;
    }
  }

  /** Claims deliveries for the free slots and starts them; true when every slot was filled. */
  private async claimBatch(): Promise<boolean> {
    this.woken = false;
    const free = this.config.WEBHOOK_CONCURRENCY - this.inFlight.size;
    if (free <= 0) return false;
    try {
      const jobs = await this.deliveries.claim({
        limit: free,
        perEndpoint: this.config.WEBHOOK_ENDPOINT_CONCURRENCY,
        perMerchant: this.config.WEBHOOK_MERCHANT_CONCURRENCY,
        leaseMs: this.config.WEBHOOK_LEASE_MS,
      });
      for (const job of jobs) this.track(this.attempt(job));
      return jobs.length === free;
    } catch (error) {
      this.logger.error({ err: describe(error) }, 'claiming deliveries failed');
      return false;
    }
  }

  private sleep(ms: number): Promise<void> {
    // A wake that came while the pause was being worked out counts.
    if (this.woken) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => {
      this.inFlight.delete(work);
      this.wake();
    });
  }

  private async attempt(job: DeliveryJob): Promise<void> {
    const fields = {
      delivery_id: job.id,
      event_id: job.event_id,
      event_type: job.event_type,
      endpoint_id: job.endpoint_id,
      merchant_id: job.merchant_id,
    };
    try {
      if (job.endpoint_deleted || job.endpoint_status !== 'active') {
        await this.deliveries.failUnsent(job, ENDPOINT_DISABLED_ERROR);
        return;
      }
      if (job.secrets.length === 0) {
        await this.deliveries.failUnsent(job, 'the endpoint has no signing secret');
        this.logger.error(fields, 'delivery failed: the endpoint has no signing secret');
        return;
      }
      // A secret no configured key opens throws: nothing is recorded, and the delivery is tried
      // again once its lease runs out (by then with the key, after a deployment's rollout).
      const secrets = job.secrets.map((stored) => this.secrets.open(stored));
      const attemptedAt = this.clock.now();
      const headers = signatureHeaders(job.event_id, attemptedAt, job.body, secrets);
      const span = tracingOn() ? attemptSpan(job) : undefined;
      const result = await this.sender.send(
        { url: job.url, body: job.body, headers: { ...headers } },
        this.aborter.signal,
      );
      endAttemptSpan(span, result);
      if (result.kind === 'aborted') {
        this.logger.warn(
          fields,
          'attempt abandoned: the dispatcher is stopping; the lease will expire',
        );
        return;
      }
      const now = this.clock.now();
      const attempt = job.attempts + 1;
      const verdict = judgeAttempt(result, now);
      const outcome = decideAfterAttempt(verdict, {
        attempt,
        maxAttempts: job.max_attempts,
        schedule: this.config.WEBHOOK_RETRY_SCHEDULE,
        now,
        random: Math.random,
      });
      const error = verdict.outcome === 'succeeded' ? null : verdict.error;
      const httpStatus = result.kind === 'response' ? result.status : null;
      const recorded = await this.recorder.record(
        job,
        {
          attempt,
          attemptedAt,
          outcome: verdict.outcome === 'succeeded' ? 'succeeded' : 'failed',
          httpStatus,
          durationMs: result.durationMs,
          error,
        },
        outcome,
      );
      attempts.inc({ result: verdict.outcome });
      attemptDuration.observe(result.durationMs / 1000);
      const logged = {
        ...fields,
        attempt,
        status: outcome.status,
        http_status: httpStatus,
        duration_ms: result.durationMs,
        ...(error !== null && { error }),
        // The merchant sees only the kind of address it was refused for; operators see which.
        ...(result.kind === 'refused' && { refused_address: result.address }),
      };
      if (!recorded)
        this.logger.warn(logged, 'attempt not recorded: the lease had passed to another worker');
      else if (verdict.outcome === 'succeeded') this.logger.log(logged, 'webhook delivered');
      else this.logger.warn(logged, 'webhook attempt failed');
    } catch (error) {
      // Nothing recorded: the lease runs out and the delivery is attempted again.
      this.logger.error({ ...fields, err: describe(error) }, 'webhook attempt crashed');
    }
  }
}

const describe = (error: unknown): { message: string } =>
  error instanceof Error ? { message: error.message } : { message: String(error) };

/**
 * The attempt as an HTTP client span, in the trace of the event's intake (a new trace for an
 * event taken in untraced). Its attributes name the endpoint's host and the delivery, never the
 * URL's path or query (a merchant may put a token there), the body or the signature.
 */
function attemptSpan(job: DeliveryJob): Span | undefined {
  let url: URL;
  try {
    url = new URL(job.url);
  } catch {
    url = new URL('http://invalid');
  }
  return startSpan('POST', {
    kind: SpanKind.CLIENT,
    parent: contextOf({
      traceparent: job.traceparent ?? undefined,
      tracestate: job.tracestate ?? undefined,
    }),
    attributes: {
      [ATTR_HTTP_REQUEST_METHOD]: 'POST',
      [ATTR_SERVER_ADDRESS]: url.hostname,
      [ATTR_SERVER_PORT]: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
      ...(job.attempts > 0 && { [ATTR_HTTP_REQUEST_RESEND_COUNT]: job.attempts }),
      'webhook.delivery.id': job.id,
      'webhook.event.id': job.event_id,
      'webhook.event.type': job.event_type,
      'webhook.endpoint.id': job.endpoint_id,
    },
  });
}

function endAttemptSpan(span: Span | undefined, result: SendResult): void {
  if (span === undefined) return;
  if (result.kind === 'response') {
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, result.status);
    if (result.status >= 400) endSpanFailed(span, String(result.status));
    else endSpan(span);
  } else {
    endSpanFailed(span, result.kind);
  }
}
