import type { Serializer } from '@nestjs/microservices';
import type { Message } from 'kafkajs';

/** A Kafka message as Nest's serializers build it: headers always present. */
export type SerializedMessage = Message & { headers: Record<string, Buffer | string> };

type SerializeRaw = (value: unknown, options?: unknown) => SerializedMessage;

/**
 * Nest's Kafka serializers take the raw value (a plain object becomes JSON), though the
 * `Serializer` interface names a packet; this says so once.
 */
export const serializeValue = (
  serializer: Serializer,
  value: unknown,
  options?: { pattern: string },
): Promise<SerializedMessage> =>
  Promise.resolve((serializer.serialize as SerializeRaw)(value, options));
