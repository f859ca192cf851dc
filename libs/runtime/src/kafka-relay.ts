import { Logger } from '@nestjs/common';
import type { RelayServiceConfig } from '@finfusion/config';
import { kafkaConnection, KeyedPublisher, type StructuredLogger } from '@finfusion/kafka';
import { structuredLogger } from './logging';

/** The options of an event-store relay that every service's relay to Kafka sets alike. */
export interface KafkaRelayOptions {
  logger: StructuredLogger;
  publisher: KeyedPublisher;
  batchSize: number;
  pollIntervalMs: number;
  retryDelayMs: number;
}

/**
 * What a service's relay of its event log to Kafka takes from the service: a keyed producer of
 * its own (client id `<service>-relay`), a logger named after the relay, and the relay settings
 * of the service's configuration. Spread into the options of the relay (`EventRelay`).
 */
export function kafkaRelayOptions(
  relay: { service: string; loggerName: string },
  config: RelayServiceConfig,
): KafkaRelayOptions {
  const logger = structuredLogger(new Logger(relay.loggerName));
  return {
    logger,
    publisher: new KeyedPublisher(
      { ...kafkaConnection(config), clientId: `${relay.service}-relay` },
      logger,
    ),
    batchSize: config.RELAY_BATCH_SIZE,
    pollIntervalMs: config.RELAY_POLL_MS,
    retryDelayMs: config.RELAY_RETRY_MS,
  };
}
