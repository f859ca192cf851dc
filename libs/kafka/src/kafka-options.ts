import { Transport, type KafkaOptions } from '@nestjs/microservices';
import { Partitioners, type KafkaConfig } from 'kafkajs';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
}

export const kafkaClientConfig = ({ brokers, clientId }: KafkaSettings): KafkaConfig => ({
  clientId,
  brokers,
  connectionTimeout: 3000,
  retry: { initialRetryTime: 200, retries: 8 },
});

/**
 * The Nest Kafka transport of a request/reply service. Nest handles one message per partition at
 * a time, so `concurrency` partitions are consumed at once (DESIGN.md, "Kafka").
 */
export const serverTransport = (
  settings: KafkaSettings & { groupId: string; concurrency: number },
): KafkaOptions => ({
  transport: Transport.KAFKA,
  options: {
    client: kafkaClientConfig(settings),
    consumer: {
      groupId: settings.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      // Bounds how long a disconnect waits for an idle fetch, so shutdown takes about a second.
      maxWaitTimeInMs: 1_000,
    },
    run: { partitionsConsumedConcurrently: settings.concurrency },
    subscribe: { fromBeginning: false },
    producer: {
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    },
    postfixId: '',
  },
});

/** The gateway's side: requests out, replies in on this replica's own reply partitions. */
export const clientTransport = (
  settings: KafkaSettings & { groupId: string },
): KafkaOptions['options'] => ({
  client: kafkaClientConfig(settings),
  consumer: {
    groupId: settings.groupId,
    allowAutoTopicCreation: false,
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
    maxWaitTimeInMs: 1_000,
  },
  run: { partitionsConsumedConcurrently: 8 },
  subscribe: { fromBeginning: false },
  producer: {
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  },
  postfixId: '',
});
