import type { Customer, CustomerEvent } from '@finfusion/contracts';

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

export const isCustomerChangeType = (type: string): type is CustomerChangeType =>
  (CustomerChangeTypes as readonly string[]).includes(type);

/** The public name of each stored type (DESIGN.md, "Events"). */
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
