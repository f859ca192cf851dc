import { Int } from './numbers';
import { ServiceConfig } from './service.config';

/**
 * What a service that publishes its event log through the relay needs (libs/runtime's
 * `kafkaRelayOptions` reads these); payments and customers extend it.
 */
export class RelayServiceConfig extends ServiceConfig {
  /**
   * The relay's safety poll: each commit wakes it at once (Postgres LISTEN/NOTIFY), so this only
   * bounds how long a lost wake-up can delay an event.
   */
  @Int({ min: 10, max: 3_600_000 })
  RELAY_POLL_MS: number = 5000;

  /** Events published per batch (one Kafka send and one checkpoint per batch). */
  @Int({ min: 1, max: 1000 })
  RELAY_BATCH_SIZE: number = 200;

  /** Back-off after a failed batch, e.g. while the broker is unreachable. */
  @Int({ min: 100, max: 600_000 })
  RELAY_RETRY_MS: number = 1000;
}
