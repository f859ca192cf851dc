import { isOneOf, type Customer, type CustomerEvent } from '@finfusion/contracts';

/** Each stored type of a customer's stream, with its public name (docs/events.md). */
const PUBLIC_TYPES = {
  CustomerCreated: 'customer.created',
  CustomerUpdated: 'customer.updated',
  CustomerDeleted: 'customer.deleted',
} as const satisfies Record<string, CustomerEvent['type']>;

export type CustomerChangeType = keyof typeof PUBLIC_TYPES;

/**
 * A stored event of a customer's stream. Every kind carries the customer as the API returns it
 * after the change, so the relay publishes it without reading anything else.
 */
export interface CustomerChange {
  type: CustomerChangeType;
  data: Customer;
}

export const isCustomerChangeType = isOneOf(Object.keys(PUBLIC_TYPES) as CustomerChangeType[]);

export const publicTypeOf = (type: CustomerChangeType): CustomerEvent['type'] => PUBLIC_TYPES[type];

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
