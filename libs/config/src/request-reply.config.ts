import { ArrayNotEmpty, IsInt, Max, Min } from 'class-validator';
import { KeyRing } from './key-ring';
import { ListFromEnv } from './load-config';
import { ServiceConfig } from './service.config';

/** Public, development-only key signing requests between the apps: production refuses it. */
export const DEVELOPMENT_REQUEST_SIGNING_KEY =
  'development:development-only-request-signing-key-not-a-secret';

/**
 * What an app that sends or serves Kafka requests needs beyond ServiceConfig: the keys that sign
 * them. Tools that only provision topics or read dead letters load ServiceConfig alone.
 */
export class RequestReplyConfig extends ServiceConfig {
  /**
   * Keys shared by the gateway and the services, `id:key,…`: the first signs every request this
   * process sends, every one verifies the requests it handles (a request without a valid
   * signature never reaches a handler). Rotated by listing a new key last everywhere, then first.
   */
  @ListFromEnv()
  @ArrayNotEmpty()
  @KeyRing()
  REQUEST_SIGNING_KEYS: string[] = [DEVELOPMENT_REQUEST_SIGNING_KEY];

  /**
   * A request signed longer ago than this (or this far in the future: clock skew) is refused, so
   * a captured request cannot be replayed later.
   */
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  SIGNED_REQUEST_MAX_AGE_MS: number = 300_000;
}
