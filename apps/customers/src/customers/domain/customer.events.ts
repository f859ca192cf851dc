import { isOneOf, type Customer, type CustomerEvent } from '@finfusion/contracts';

// Stored events of a customer's stream. Each carries the customer as the API returns it after
// the change, so the relay publishes it without reading anything else.
export interface CustomerCreated {
  type: 'CustomerCreated';
  data: Customer;
}

export interface CustomerUpdated {
  type: 'CustomerUpdated';
  data: Customer;
}

export interface CustomerDeleted {
  type: 'CustomerDeleted';
  data: Customer;
}

export type CustomerChange = CustomerCreated | CustomerUpdated | CustomerDeleted;

export type CustomerChangeType = CustomerChange['type'];

export const CustomerChangeTypes: readonly CustomerChangeType[] = [
  'CustomerCreated',
  'CustomerUpdated',
  'CustomerDeleted',
];

export const isCustomerChangeType = isOneOf(CustomerChangeTypes);

/** The public name of each stored type (the customer types of docs/events.md). */
export function publicTypeOf(type: CustomerChangeType): CustomerEvent['type'] {
  switch (type) {
    case 'CustomerCreated':
      return 'customer.created';
    case 'CustomerUpdated':
      return 'customer.updated';
    case 'CustomerDeleted':
      return 'customer.deleted';
    default: {
      const unhandled: never = type;
      throw new Error(`unknown customer event type ${String(unhandled)}`);
    }
  }
}

/**
 * The customer a stored event carries, in the API's field order: the log keeps data as jsonb,
 * which reorders keys, and a replayed reply or a published event should read like the original.
 */
export function customerInEvent(data: Readonly<Record<string, unknown>>): Customer {
  const stored = data as unknown as Customer;
  return {
    id: stored.id,
    object: 'customer',
    email: stored.email,
    name: stored.name,
    created_at: stored.created_at,
    metadata: stored.metadata,
  };
}
