import { IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import {
  DEVELOPMENT_CARD_TRANSIT_KEY,
  ListFromEnv,
  Port,
  RelayServiceConfig,
  SecretKey,
} from '@finfusion/config';

/** The Postgres schema this service owns: its event log, read models and idempotency keys. */
export const PAYMENTS_SCHEMA = 'payments';

/**
 * Lets a development stack start with nothing set. It is public (it is in this file), so a
 * fingerprint made with it protects nothing: production refuses to start with it.
 */
export const DEVELOPMENT_FINGERPRINT_KEY = 'development-only-card-fingerprint-key-not-a-secret';

export class PaymentsConfig extends RelayServiceConfig {
  @Port()
  PORT: number = 3001;

  /** Health and metrics (ServiceConfig): beside PORT, 100 above it. */
  override ADMIN_PORT: number = 3101;

  /** HMAC key of card fingerprints. Changing it changes every new fingerprint: keep it stable. */
  @IsString()
  @SecretKey()
  CARD_FINGERPRINT_KEY: string = DEVELOPMENT_FINGERPRINT_KEY;

  /** Opens the card number and CVC the gateway sealed; the gateway seals with the same key. */
  @IsString()
  @SecretKey()
  CARD_TRANSIT_KEY: string = DEVELOPMENT_CARD_TRANSIT_KEY;

  /**
   * Keys a rotation has retired that still open what the gateway sealed with them (requests
   * still in flight); comma-separated. Empty once every gateway seals with CARD_TRANSIT_KEY.
   */
  @ListFromEnv()
  @SecretKey({ each: true })
  CARD_TRANSIT_PREVIOUS_KEYS: string[] = [];

  /** The daily summary projection's safety poll; commits wake it at once, as they wake the relay. */
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  DAILY_SUMMARY_POLL_MS: number = 5000;

  /**
   * How long a payment naming a customer this service has not heard of yet (customers are learnt
   * from customers.customer.events, asynchronously) waits for the customers service's answer;
   * without one in time the payment is refused with a retryable 503.
   */
  @IsInt()
  @Min(50)
  @Max(30_000)
  CUSTOMER_LOOKUP_TIMEOUT_MS: number = 2000;

  /** Consumer group of this service's replies from customers.lookup, on payments.replies. */
  @IsString()
  @MinLength(1)
  CUSTOMER_LOOKUP_GROUP_ID: string = 'payments-customer-lookups';

  /** Consumer group of the customer directory on customers.customer.events. */
  @IsString()
  @MinLength(1)
  CUSTOMER_EVENTS_GROUP_ID: string = 'payments-customers';

  /**
   * A payment still pending this long after its creation (its acquirer call failed, or the
   * process died during it) is settled by asking the acquirer for the outcome of its reference.
   */
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  PAYMENTS_PENDING_RECOVERY_AFTER_MS: number = 60_000;

  /** How often each replica looks for such payments. */
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  PAYMENTS_PENDING_RECOVERY_INTERVAL_MS: number = 10_000;

  /**
   * How long a manual-capture payment's authorization waits for its capture (its
   * `capture_before`); then the authorization expiry cancels it. Card networks hold an
   * authorization for about a week, hence the default; tests shorten it.
   */
  @IsInt()
  @Min(1000)
  @Max(31 * 86_400_000)
  AUTHORIZATION_CAPTURE_WINDOW_MS: number = 7 * 86_400_000;

  /** How often each replica cancels the authorizations whose `capture_before` has passed. */
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  AUTHORIZATION_EXPIRY_INTERVAL_MS: number = 60_000;

  /**
   * How long a merchant's Idempotency-Key keeps creating at most one payment; then it is
   * forgotten. At least a day: longer than the gateway's replay record (24 h).
   */
  @IsInt()
  @Min(1)
  @Max(3650)
  PAYMENTS_IDEMPOTENCY_RETENTION_DAYS: number = 30;
}
