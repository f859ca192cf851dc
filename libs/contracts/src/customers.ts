import type { FromSchema } from 'json-schema-to-ts';
import type { ListParams } from './messages';
import type { Metadata } from './metadata';
import type { customerListSchema, customerSchema } from './schemas/customer.schema';

/** The customer as the API returns it (`customerSchema`). */
export type Customer = FromSchema<typeof customerSchema>;

export interface CreateCustomerPayload {
  email: string;
  name?: string | null;
  metadata?: Metadata;
}

export interface UpdateCustomerPayload {
  id: string;
  email?: string;
  name?: string | null;
  /** Keys given replace those keys; a key set to "" is removed (as Stripe does). */
  metadata?: Metadata;
}

export interface GetCustomerPayload {
  id: string;
}

export interface ListCustomersPayload extends ListParams {
  email?: string;
}

export type CustomerList = FromSchema<typeof customerListSchema>;

/** customers.lookup: asked by another service, never by the gateway; any merchant's customer. */
export interface LookupCustomerPayload {
  id: string;
}

/** Whose customer an id is, as of its stream version `sequence` (as in its public events). */
export interface CustomerStanding {
  id: string;
  merchant_id: string;
  deleted: boolean;
  sequence: number;
}

/**
 * What an erased customer's email reads as wherever a copy is kept or sent again (the event log,
 * republished events, the dispatcher's stored bodies): an address of the reserved `.invalid`
 * domain, so it can never reach anyone, and customer event schemas v1 stay valid.
 */
export const ERASED_EMAIL = 'erased@erased.invalid';

/** The customer with its personal data erased: the email above, no name, no metadata. */
export const erasedCustomer = (customer: Customer): Customer => ({
  ...customer,
  email: ERASED_EMAIL,
  name: null,
  metadata: {},
});
