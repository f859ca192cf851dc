import {
  EventHeaders,
  newId,
  PublicSchemaVersions,
  type PublicEvent,
  type PublicEventType,
} from '@finfusion/contracts';
import { publishRecords, type PublishedRecord } from './publish';

/** A public event envelope as a relay publishes it, with a new id, created now. */
export function publicEvent<O, K extends PublicEventType>(
  merchantId: string,
  type: K,
  object: O,
  sequence = 1,
): PublicEvent<O, K> {
  return {
    id: newId('evt'),
    type,
    schema_version: PublicSchemaVersions[type],
    created_at: new Date().toISOString(),
    merchant_id: merchantId,
    data: { object },
    sequence,
  };
}

/**
 * Publishes envelopes to `topic` as the relays do: keyed by the object's id, so one object's events
 * keep their order, with the headers consumers route on. Returns the records sent.
 */
export async function publishEvents(
  topic: string,
  events: readonly PublicEvent<{ id: string }>[],
): Promise<PublishedRecord[]> {
  const records = events.map((event) => ({
    key: event.data.object.id,
    value: JSON.stringify(event),
    headers: {
      [EventHeaders.type]: event.type,
      [EventHeaders.schemaVersion]: String(event.schema_version),
      [EventHeaders.merchantId]: event.merchant_id,
    },
  }));
  await publishRecords(topic, records);
  return records;
}
