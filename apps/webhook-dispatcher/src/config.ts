import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsBoolean,
  IsInt,
  IsString,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import {
  Above,
  BooleanFromEnv,
  IntListFromEnv,
  KeyRing,
  Port,
  RequestReplyConfig,
} from '@finfusion/config';
import { WebhookLimits } from '@finfusion/contracts';

/** The Postgres schema the dispatcher owns; tests migrate schemas of their own. */
export const WEBHOOKS_SCHEMA = 'webhooks';

const DAY_MS = 24 * 3600 * 1000;

/** Public, development-only key sealing endpoint secrets: production refuses it. */
export const DEVELOPMENT_WEBHOOK_SECRET_KEYS =
  'development:ZGV2ZWxvcG1lbnQtb25seS13ZWJob29rLXNlY3JldHM=';

export class DispatcherConfig extends RequestReplyConfig {
  @Port()
  PORT: number = 3003;

  /** Health and metrics (ServiceConfig): beside PORT, 100 above it. */
  override ADMIN_PORT: number = 3103;

  /** Checked as ServiceConfig checks it; a larger default than the other services'. */
  override DATABASE_POOL_SIZE: number = 20;

  /**
   * Consumer group of the event intake. Not the service name: that group serves the request
   * topics, and kafkajs needs every member of a group to subscribe to the same topics.
   */
  @IsString()
  @MinLength(1)
  WEBHOOK_EVENTS_GROUP_ID: string = 'webhook-dispatcher-events';

  /** Development only: lets merchants register http:// endpoints. */
  @BooleanFromEnv()
  @IsBoolean()
  WEBHOOK_ALLOW_HTTP: boolean = false;

  /** Development only: lets endpoints resolve to loopback addresses. */
  @BooleanFromEnv()
  @IsBoolean()
  WEBHOOK_ALLOW_LOOPBACK: boolean = false;

  /**
   * Delay before each attempt, in ms: the first entry before attempt 1 (after the event is taken
   * in), the next before attempt 2 (after attempt 1 failed), and so on. Its length is the number
   * of attempts. Default: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
   */
  @IntListFromEnv()
  @ArrayNotEmpty()
  @ArrayMaxSize(50)
  @IsInt({ each: true, message: 'must be a comma-separated list of milliseconds' })
  @Min(0, { each: true })
  @Max(7 * DAY_MS, { each: true })
  WEBHOOK_RETRY_SCHEDULE: number[] = [
    0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
  ];

  /** Per attempt: connecting, sending and receiving the response status. */
  @IsInt()
  @Min(100)
  @Max(120_000)
  WEBHOOK_TIMEOUT_MS: number = 10_000;

  /**
   * How long a claimed delivery stays reserved for its worker. A dispatcher killed mid-flight
   * leaves its deliveries claimed; any replica resumes them once this much time has passed. It
   * must outlast an attempt, or a second worker could take over a delivery in flight.
   */
  @IsInt()
  @Above('WEBHOOK_TIMEOUT_MS')
  @Max(3_600_000)
  WEBHOOK_LEASE_MS: number = 60_000;

  /** An endpoint whose attempts all failed for this long is disabled. Default: 5 days. */
  @IsInt()
  @Min(0)
  WEBHOOK_DISABLE_AFTER_FAILING_MS: number = 5 * DAY_MS;

  /** How long a rotated-out secret keeps signing beside the new one, unless the request says. */
  @IsInt()
  @Min(0)
  @Max(WebhookLimits.maxOverlapSeconds)
  WEBHOOK_SECRET_OVERLAP_SECONDS: number = 24 * 3600;

  /**
   * Keys sealing endpoint signing secrets at rest (AES-256-GCM), as `id:key,id:key`: each key is
   * 32 random bytes in base64 or hex (`openssl rand -base64 32`). The first seals; the others
   * only open what they sealed before, and at start every secret is sealed again with the first.
   */
  @KeyRing()
  WEBHOOK_SECRET_KEYS: string = DEVELOPMENT_WEBHOOK_SECRET_KEYS;

  /** Attempts in flight at once in this process. */
  @IsInt()
  @Min(1)
  @Max(1000)
  WEBHOOK_CONCURRENCY: number = 32;

  /**
   * Attempts in flight at once to one endpoint (counted across replicas), so a slow endpoint
   * with a backlog cannot take every slot from the others.
   */
  @IsInt()
  @Min(1)
  @Max(100)
  WEBHOOK_ENDPOINT_CONCURRENCY: number = 4;

  /**
   * Attempts in flight at once for one merchant, across its endpoints and across replicas. With
   * the round-robin claim, one merchant's backlog or slow endpoints leave the other slots to
   * the other merchants.
   */
  @IsInt()
  @Min(1)
  @Max(1000)
  WEBHOOK_MERCHANT_CONCURRENCY: number = 16;

  /** Live (not deleted) endpoints one merchant may have; creating one more is refused. */
  @IsInt()
  @Min(1)
  @Max(1000)
  WEBHOOK_MAX_ENDPOINTS_PER_MERCHANT: number = 16;

  /**
   * Resolving an endpoint's host name, at registration and before each attempt. A lookup that
   * takes longer fails (the attempt is retried later) instead of holding a delivery slot.
   */
  @IsInt()
  @Min(50)
  @Max(60_000)
  WEBHOOK_DNS_TIMEOUT_MS: number = 2000;

  /**
   * Finished (succeeded or failed) deliveries and their attempts are removed this many days
   * after they last changed; until then they can be listed and resent.
   */
  @IsInt()
  @Min(1)
  @Max(3650)
  WEBHOOK_DELIVERY_RETENTION_DAYS: number = 30;

  /**
   * Taken-in events are kept this many days (and while a delivery refers to them): to recognise
   * a Kafka record that comes again, and for merchants to list (GET /v2/events), which promises
   * the default, 30 days. Keep it at least as long as the event topics' retention (30 days) and
   * than a parked record may wait on its .dlq topic before a replay.
   */
  @IsInt()
  @Min(1)
  @Max(3650)
  WEBHOOK_RECEIVED_EVENTS_RETENTION_DAYS: number = 30;

  /** How often old deliveries and events are swept; also once at start. */
  @IsInt()
  @Min(1000)
  @Max(7 * DAY_MS)
  WEBHOOK_SWEEP_INTERVAL_MS: number = 3_600_000;

  /** Rows removed per transaction by the sweep. */
  @IsInt()
  @Min(1)
  @Max(100_000)
  WEBHOOK_SWEEP_BATCH_SIZE: number = 1000;

  /**
   * The worker's safety poll. New deliveries wake it at once (Postgres LISTEN/NOTIFY) and it
   * sleeps until the next retry falls due, so this only bounds a lost wake-up.
   */
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  WEBHOOK_POLL_MS: number = 5000;
}
