import type { ListParams, ListPage } from './messages';
import type { Metadata } from './metadata';

export interface Customer {
  id: string;
  object: 'customer';
  email: string;
  name: string | null;
  created_at: string;
  metadata: Metadata;
}

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

export type CustomerList = ListPage<Customer>;

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
