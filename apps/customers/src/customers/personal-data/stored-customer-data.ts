import { erasedCustomer, type Customer } from '@finfusion/contracts';
import type { StoredEvent } from '@finfusion/event-store';
import { customerInEvent } from '../domain/customer.events';
import type { PersonalDataCipher } from './personal-data.cipher';

/**
 * Stored versions of a customer event's data:
 * 1. the customer in plaintext (events appended before personal data was sealed);
 * 2. the customer without its personal data, which is sealed in `personal` under the customer's
 *    data key (absent when there is none to keep: a deletion).
 */
export const CUSTOMER_EVENT_SCHEMA_VERSION = 2;

interface SealedCustomerData {
  id: string;
  object: 'customer';
  created_at: string;
  /** PersonalDataCipher's sealed email, name and metadata. */
  personal?: string;
}

/** What a reader knows of a customer's stream besides its events. */
export interface StreamAccess {
  /** The customer's data key; none once the customer is erased (or before it had one). */
  cipher?: PersonalDataCipher;
  /** Whether the customer is deleted: a version 1 event of a deleted customer reads as erased. */
  deleted: boolean;
}

/** The data to append (version 2): the personal fields sealed, or left out with no cipher. */
export function sealedCustomerData(customer: Customer, cipher?: PersonalDataCipher): object {
  const data: SealedCustomerData = {
    id: customer.id,
    object: 'customer',
    created_at: customer.created_at,
    ...(cipher !== undefined && { personal: cipher.seal(customer) }),
  };
  return data;
}

/**
 * The customer a stored event carries, in the API's field order (the upcaster of every stored
 * version), with its personal data erased when the customer was.
 */
export function customerOfStored(event: StoredEvent, access: StreamAccess): Customer {
  switch (event.schemaVersion) {
    case 1: {
      const customer = customerInEvent(event.data);
      return access.deleted ? erasedCustomer(customer) : customer;
    }
    case 2: {
      const data = event.data as unknown as SealedCustomerData;
      const shell = {
        id: data.id,
        object: 'customer' as const,
        created_at: data.created_at,
      };
      if (data.personal === undefined || access.cipher === undefined) {
        return erasedCustomer({ ...shell, email: '', name: null, metadata: {} });
      }
      const { email, name, metadata } = access.cipher.open(data.personal);
      return customerInEvent({ ...shell, email, name, metadata });
    }
    default:
      throw new Error(`no reader for customer event ${event.type} v${event.schemaVersion}`);
  }
}
