import { isIP } from 'node:net';
import { ArrayNotEmpty, IsInt, IsString, Max, Min, ValidateBy } from 'class-validator';
import {
  Above,
  AboveSum,
  DEVELOPMENT_CARD_TRANSIT_KEY,
  KeyRing,
  ListFromEnv,
  NotAbove,
  Port,
  SecretKey,
  RequestReplyConfig,
} from '@finfusion/config';

/** Public, development-only key of the kept idempotent responses; production refuses it. */
export const DEVELOPMENT_IDEMPOTENCY_KEY = 'dev:development-only-idempotency-key-not-a-secret';

export class GatewayConfig extends RequestReplyConfig {
  @Port()
  PORT: number = 3000;

  /** Health and metrics (ServiceConfig): beside PORT, 100 above it. */
  override ADMIN_PORT: number = 3100;

  /** How long the gateway waits for a service's reply before answering 504. */
  @IsInt()
  @Min(100)
  @Max(120_000)
  REQUEST_TIMEOUT_MS: number = 10_000;

  /** A request's headers and body must have arrived within this, else 408 and the connection closes. */
  @IsInt()
  @Min(1000)
  @Max(300_000)
  HTTP_RECEIVE_TIMEOUT_MS: number = 10_000;

  /** A request's headers must have arrived within this; at most HTTP_RECEIVE_TIMEOUT_MS. */
  @IsInt()
  @Min(1000)
  @NotAbove('HTTP_RECEIVE_TIMEOUT_MS')
  HTTP_HEADERS_TIMEOUT_MS: number = 5000;

  /** An idle keep-alive connection is closed after this: above a load balancer's idle timeout. */
  @IsInt()
  @Min(1000)
  @Max(600_000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS: number = 72_000;

  /**
   * A connection without a byte either way for this long is closed. Waiting for a service's reply
   * is silent, so it must be above REQUEST_TIMEOUT_MS; above the keep-alive timeout, so that one
   * decides when idle connections close.
   */
  @IsInt()
  @Above('REQUEST_TIMEOUT_MS')
  @Above('HTTP_KEEP_ALIVE_TIMEOUT_MS')
  HTTP_IDLE_TIMEOUT_MS: number = 75_000;

  /**
   * The gateway drains for at most this after SIGTERM: above HTTP_RECEIVE_TIMEOUT_MS plus
   * REQUEST_TIMEOUT_MS, so a request under way when it was told to stop is still answered.
   */
  @IsInt()
  @Min(1000)
  @AboveSum('HTTP_RECEIVE_TIMEOUT_MS', 'REQUEST_TIMEOUT_MS')
  override SHUTDOWN_TIMEOUT_MS: number = 25_000;

  @IsInt()
  @Min(1024)
  @Max(10 * 1024 * 1024)
  BODY_LIMIT_BYTES: number = 65_536;

  /** Requests allowed per merchant (all its keys together) in each window. */
  @IsInt()
  @Min(1)
  RATE_LIMIT_REQUESTS: number = 100;

  @IsInt()
  @Min(100)
  @Max(3_600_000)
  RATE_LIMIT_WINDOW_MS: number = 1000;

  /** Failed authentications (missing, malformed, unknown or revoked keys) per client address… */
  @IsInt()
  @Min(1)
  AUTH_FAILURE_LIMIT: number = 30;

  /** … in this window. */
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  AUTH_FAILURE_WINDOW_MS: number = 10_000;

  /** Database lookups of keys not known to be good, all clients together, per second. */
  @IsInt()
  @Min(1)
  AUTH_LOOKUPS_PER_SECOND: number = 200;

  /**
   * Addresses or CIDR ranges of the proxies in front of the gateway: X-Forwarded-For names the
   * client only when the connection comes from one of them. Empty: the peer is the client.
   */
  @ListFromEnv()
  @IsAddressOrRange({ each: true })
  TRUSTED_PROXIES: string[] = [];

  /** How long a POST's first response is kept for replay under its Idempotency-Key. */
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  IDEMPOTENCY_TTL_HOURS: number = 24;

  /**
   * Keys that encrypt the kept responses, `<id>:<secret>`, comma-separated: the first encrypts,
   * all decrypt. To rotate, put a new key first and keep the old one for IDEMPOTENCY_TTL_HOURS.
   */
  @ListFromEnv()
  @ArrayNotEmpty()
  @KeyRing()
  IDEMPOTENCY_ENCRYPTION_KEYS: string[] = [DEVELOPMENT_IDEMPOTENCY_KEY];

  /** Seals card numbers and CVCs for their trip to the payments service, which has the same key. */
  @IsString()
  @SecretKey()
  CARD_TRANSIT_KEY: string = DEVELOPMENT_CARD_TRANSIT_KEY;
}

/** An IPv4 or IPv6 address, optionally with a /prefix length (`10.0.0.0/8`, `fd00::/8`). */
export function isAddressOrRange(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const [address = '', prefix, ...rest] = value.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits <= (version === 4 ? 32 : 128);
}

function IsAddressOrRange(options: { each: boolean }): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isAddressOrRange',
      validator: {
        validate: isAddressOrRange,
        defaultMessage: () => 'must be a comma-separated list of IP addresses or CIDR ranges',
      },
    },
    options,
  );
}
