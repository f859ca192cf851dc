import { IsInt, Max, Min } from 'class-validator';
import { RequestReplyConfig } from './request-reply.config';

/**
 * What a service that publishes its event log through the relay needs (libs/runtime's
 * `kafkaRelayOptions` reads these); payments and customers extend it.
 */
export class RelayServiceConfig extends RequestReplyConfig {
  /**
   * The relay's safety poll: each commit wakes it at once (Postgres LISTEN/NOTIFY), so this only
   * bounds how long a lost wake-up can delay an event.
   */
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  RELAY_POLL_MS: number = 5000;

  /** Events published per batch (one Kafka send and one checkpoint per batch). */
  @IsInt()
  @Min(1)
  @Max(1000)
  RELAY_BATCH_SIZE: number = 200;

  /** Back-off after a failed batch, e.g. while the broker is unreachable. */
  @IsInt()
  @Min(100)
  @Max(600_000)
  RELAY_RETRY_MS: number = 1000;
}
