import { Kafka, Partitioners, type IHeaders, type Producer } from 'kafkajs';
import { kafkaClientConfig, type KafkaSettings } from './kafka-options';
import { kafkaLogCreator, type StructuredLogger } from './kafka-logger';

export interface KeyedRecord {
  key: string;
  value: string;
  headers?: IHeaders;
}

/**
 * Publishes records keyed by aggregate id, acknowledged by all in-sync replicas. One request in
 * flight keeps a key's records in order across retries; a retry may duplicate a record, which
 * at-least-once consumers already expect (the event id is stable).
 */
export class KeyedPublisher {
  private readonly producer: Producer;

  constructor(settings: KafkaSettings, logger: StructuredLogger) {
    this.producer = new Kafka({
      ...kafkaClientConfig(settings),
      logCreator: kafkaLogCreator(logger),
    }).producer({
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  async publish(topic: string, records: KeyedRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.producer.send({ topic, acks: -1, messages: records });
  }
}
