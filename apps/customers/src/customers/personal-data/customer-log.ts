import type { EntityManager } from 'typeorm';
import type { StoredEvent } from '@finfusion/event-store';
import { isCustomerChangeType, type CustomerChange } from '../domain/customer.events';
import type { CustomerKeys } from './customer-keys';
import { customerOfStored } from './stored-customer-data';

/**
 * The changes stored events record, whatever their stored version, each with the customer's
 * personal data as it is now: erased once the customer was deleted. Every reader of the log
 * (replies, the relay, republish) reads it through here.
 */
export async function readChanges(
  keys: CustomerKeys,
  manager: EntityManager,
  events: readonly StoredEvent[],
): Promise<CustomerChange[]> {
  if (events.length === 0) return [];
  const access = await keys.accessTo(
    manager,
    events.map((event) => event.streamId),
  );
  return events.map((event) => {
    // Failing (rather than skipping) keeps the event in the log until a version that knows it runs.
    if (!isCustomerChangeType(event.type)) {
      throw new Error(`the customers log holds an event of unknown type ${event.type}`);
    }
    const stream = access.get(event.streamId) ?? { deleted: false };
    return { type: event.type, data: customerOfStored(event, stream) };
  });
}
