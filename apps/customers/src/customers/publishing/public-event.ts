import type { EntityManager } from 'typeorm';
import type { CustomerEvent } from '@finfusion/contracts';
import {
  eventRecord,
  publicEventOf,
  recordedOccurrence,
  type EventRecord,
  type StoredEvent,
} from '@finfusion/event-store';
import { publicTypeOf, type CustomerChange } from '../domain/customer.events';
import type { CustomerKeys } from '../personal-data/customer-keys';
import { readChanges } from '../personal-data/customer-log';

/**
 * The public envelope of a stored customer event, given the change it records (read with
 * readChanges): the customer after the change, at the time the change was decided (kept in the
 * event's metadata; see recordedOccurrence).
 */
export function toPublicEvent(event: StoredEvent, change: CustomerChange): CustomerEvent {
  return publicEventOf(event, {
    type: publicTypeOf(change.type),
    occurredAt: recordedOccurrence(event),
    merchantId: event.metadata.merchantId,
    object: change.data,
  });
}

/**
 * The records of a page of the log, as the relay and republish send them: personal data as it
 * is when sent, so a record sent after the customer's deletion carries it erased.
 */
export const customerRecords =
  (keys: CustomerKeys) =>
  async (events: StoredEvent[], manager: EntityManager): Promise<EventRecord[]> => {
    const changes = await readChanges(keys, manager, events);
    return events.map((event, index) => {
      const change = changes[index];
      if (change === undefined) throw new Error(`no change read for event ${event.eventId}`);
      return eventRecord(toPublicEvent(event, change), event);
    });
  };
