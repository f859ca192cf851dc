import { IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import {
  DEVELOPMENT_CARD_TRANSIT_KEY,
  NotDefaultInProduction,
  ServiceConfig,
} from '@finfusion/config';

/** The Postgres schema the gateway owns: merchants, API keys and idempotency records. */
export const GATEWAY_SCHEMA = 'gateway';

export class GatewayConfig extends ServiceConfig {
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  /** How long the gateway waits for a service's reply before answering 504. */
  @IsInt()
  @Min(100)
  @Max(120_000)
  REQUEST_TIMEOUT_MS: number = 10_000;

  @IsInt()
  @Min(1024)
  @Max(10 * 1024 * 1024)
  BODY_LIMIT_BYTES: number = 65_536;

  /** Requests allowed per API key (or per client IP before authentication) in each window. */
  @IsInt()
  @Min(1)
  RATE_LIMIT_REQUESTS: number = 100;

  @IsInt()
  @Min(100)
  @Max(3_600_000)
  RATE_LIMIT_WINDOW_MS: number = 1000;

  /** How long a POST's first response is kept for replay under its Idempotency-Key. */
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  IDEMPOTENCY_TTL_HOURS: number = 24;

  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE: number = 10;

  /** Seals card numbers and CVCs for their trip to the payments service, which has the same key. */
  @IsString()
  @MinLength(32)
  @NotDefaultInProduction(DEVELOPMENT_CARD_TRANSIT_KEY)
  CARD_TRANSIT_KEY: string = DEVELOPMENT_CARD_TRANSIT_KEY;
}
