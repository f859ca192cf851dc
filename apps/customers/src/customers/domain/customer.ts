import {
  ERASED_EMAIL,
  mergedMetadataProblem,
  mergeMetadata,
  type Customer,
  type Metadata,
  type UpdateCustomerPayload,
} from '@finfusion/contracts';
import type { CustomerChange } from './customer.events';

/** A customer row as the service keeps it: the API's fields plus what only the service needs. */
export interface CustomerState {
  id: string;
  merchant_id: string;
  email: string;
  name: string | null;
  metadata: Metadata;
  idempotency_key: string | null;
  /** Starts at 1 and grows by one per change; it is the stream version of the change's event. */
  version: number;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

export interface CreateCustomer {
  id: string;
  merchantId: string;
  email: string;
  name?: string | null;
  metadata?: Metadata;
  idempotencyKey?: string;
}

export type UpdateCustomer = Omit<UpdateCustomerPayload, 'id'>;

/** A change the caller asked for: the state to store and the event to append with it. */
export interface Decision {
  state: CustomerState;
  event: CustomerChange;
}

export type UpdateOutcome =
  | ({ kind: 'changed' } & Decision)
  | { kind: 'unchanged'; state: CustomerState }
  | { kind: 'rejected'; param: string; message: string };

/** The customer as the API returns it. */
export const toCustomer = (state: CustomerState): Customer => ({
  id: state.id,
  object: 'customer',
  email: state.email,
  name: state.name,
  created_at: state.created_at.toISOString(),
  metadata: { ...state.metadata },
});

// An empty name means "no name", as an empty metadata value means "no such key".
const normalizeName = (name: string | null | undefined): string | null =>
  name === undefined || name === null || name === '' ? null : name;

const withoutEmptyValues = (metadata: Metadata): Metadata => mergeMetadata({}, metadata);

export function createCustomer(command: CreateCustomer, now: Date): Decision {
  const state: CustomerState = {
    id: command.id,
    merchant_id: command.merchantId,
    email: command.email,
    name: normalizeName(command.name),
    metadata: withoutEmptyValues(command.metadata ?? {}),
    idempotency_key: command.idempotencyKey ?? null,
    version: 1,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
  return { state, event: { type: 'CustomerCreated', data: toCustomer(state) } };
}

export function updateCustomer(
  current: CustomerState,
  patch: UpdateCustomer,
  now: Date,
): UpdateOutcome {
  const email = patch.email ?? current.email;
  const name = patch.name === undefined ? current.name : normalizeName(patch.name);
  const metadata = mergeMetadata(current.metadata, patch.metadata ?? {});
  // The request's own keys were checked at the gateway; the merged whole is checked here.
  const tooMany = mergedMetadataProblem(metadata, 'customer');
  if (tooMany !== undefined) return { kind: 'rejected', param: 'metadata', message: tooMany };
  if (
    email === current.email &&
    name === current.name &&
    sameMetadata(metadata, current.metadata)
  ) {
    // Nothing to record: no new version, no customer.updated for a change that did not happen.
    return { kind: 'unchanged', state: current };
  }
  const state: CustomerState = {
    ...current,
    email,
    name,
    metadata,
    version: current.version + 1,
    updated_at: now,
  };
  return { kind: 'changed', state, event: { type: 'CustomerUpdated', data: toCustomer(state) } };
}

/** A deletion erases the customer's personal data: the row keeps only what is not personal. */
export function deleteCustomer(current: CustomerState, now: Date): Decision {
  const state: CustomerState = {
    ...current,
    email: ERASED_EMAIL,
    name: null,
    metadata: {},
    version: current.version + 1,
    updated_at: now,
    deleted_at: now,
  };
  return { state, event: { type: 'CustomerDeleted', data: toCustomer(state) } };
}

function sameMetadata(a: Metadata, b: Metadata): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
