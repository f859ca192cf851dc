import type { CustomerEvent } from '@finfusion/contracts';
import { publicEventOf, recordedOccurrence, type StoredEvent } from '@finfusion/event-store';
import { customerInEvent, isCustomerChangeType, publicTypeOf } from '../domain/customer.events';

/**
 * The public envelope of a stored customer event: the customer after the change, at the time
 * the change was decided (kept in the event's metadata; see recordedOccurrence).
 */
export function toPublicEvent(event: StoredEvent): CustomerEvent {
  // Failing (rather than skipping) keeps the event in the log until a version that knows it runs.
  if (!isCustomerChangeType(event.type)) {
    throw new Error(`the customers log holds an event of unknown type ${event.type}`);
  }
  return publicEventOf(event, {
    type: publicTypeOf(event.type),
    occurredAt: recordedOccurrence(event),
    merchantId: event.metadata.merchantId,
    object: customerInEvent(event.data),
  });
}
