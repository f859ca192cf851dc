import type { KafkaOptions } from '@nestjs/microservices';

/** Nest's Kafka transport options (client, consumer, producer, run, subscribe). */
export type KafkaTransportOptions = Required<KafkaOptions>['options'];
