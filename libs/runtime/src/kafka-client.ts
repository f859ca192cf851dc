import type { RequestReplyConfig } from '@finfusion/config';
import { clientTransport, kafkaConnection, type BatchingKafkaClient } from '@finfusion/kafka';
import { signingKeysOf } from './request-signing';

/**
 * A request/reply Kafka client of a service, connected and batched as its configuration says:
 * requests out on the services' request topics, replies in on this replica's partitions of
 * `replyTopic`. Its consumer group is `groupId`. Every request is signed with the first key of
 * REQUEST_SIGNING_KEYS.
 */
export function requestReplyClient(
  config: RequestReplyConfig,
  client: { clientId: string; groupId: string; replyTopic: string },
): BatchingKafkaClient {
  return clientTransport({
    ...kafkaConnection(config),
    ...client,
    lingerMs: config.KAFKA_LINGER_MS,
    commitIntervalMs: config.KAFKA_COMMIT_INTERVAL_MS,
    signingKeys: signingKeysOf(config),
  });
}
