import {
  createCustomer,
  deleteCustomer,
  toCustomer,
  updateCustomer,
  type CustomerState,
} from './customer';
import { customerInEvent, publicTypeOf } from './customer.events';

const created = new Date('2026-03-15T10:30:00.123Z');
const later = new Date('2026-03-15T11:00:00.000Z');

const existing = (overrides: Partial<CustomerState> = {}): CustomerState => ({
  ...createCustomer(
    {
      id: 'cust_1',
      merchantId: 'mer_1',
      email: 'ada@example.com',
      name: 'Ada',
      metadata: { plan: 'pro', region: 'eu' },
    },
    created,
  ).state,
  ...overrides,
});

describe('toCustomer', () => {
  it('maps the stored state to the API shape, without internal columns', () => {
    const state = existing({ idempotency_key: 'key-1', version: 4 });
    expect(toCustomer(state)).toEqual({
      id: 'cust_1',
      object: 'customer',
      email: 'ada@example.com',
      name: 'Ada',
      created_at: '2026-03-15T10:30:00.123Z',
      metadata: { plan: 'pro', region: 'eu' },
    });
  });

  it('does not share the metadata object with the state', () => {
    const state = existing();
    toCustomer(state).metadata.plan = 'changed';
    expect(state.metadata.plan).toBe('pro');
  });
});

describe('createCustomer', () => {
  it('starts at version 1 and records CustomerCreated carrying the API shape', () => {
    const { state, event } = createCustomer(
      { id: 'cust_2', merchantId: 'mer_1', email: 'b@example.com', idempotencyKey: 'k' },
      created,
    );
    expect(state).toMatchObject({
      version: 1,
      name: null,
      metadata: {},
      idempotency_key: 'k',
      created_at: created,
      updated_at: created,
      deleted_at: null,
    });
    expect(event).toEqual({ type: 'CustomerCreated', data: toCustomer(state) });
  });

  it('stores an empty name as no name and drops empty metadata values', () => {
    const { state } = createCustomer(
      { id: 'cust_3', merchantId: 'mer_1', email: 'c@example.com', name: '', metadata: { a: '' } },
      created,
    );
    expect(state.name).toBeNull();
    expect(state.metadata).toEqual({});
  });
});

describe('updateCustomer', () => {
  it('applies email, name and metadata, bumps the version and records CustomerUpdated', () => {
    const outcome = updateCustomer(
      existing(),
      { email: 'ada@new.example', name: 'Ada L.', metadata: { region: '', tier: 'gold' } },
      later,
    );
    if (outcome.kind !== 'changed') throw new Error(`expected a change, got ${outcome.kind}`);
    expect(outcome.state).toMatchObject({
      email: 'ada@new.example',
      name: 'Ada L.',
      metadata: { plan: 'pro', tier: 'gold' },
      version: 2,
      created_at: created,
      updated_at: later,
    });
    expect(outcome.event).toEqual({ type: 'CustomerUpdated', data: toCustomer(outcome.state) });
  });

  it('keeps the fields that are not given', () => {
    const outcome = updateCustomer(existing(), { name: 'Countess' }, later);
    expect(outcome).toMatchObject({
      kind: 'changed',
      state: { email: 'ada@example.com', metadata: { plan: 'pro', region: 'eu' } },
    });
  });

  it('clears the name with null', () => {
    expect(updateCustomer(existing(), { name: null }, later)).toMatchObject({
      kind: 'changed',
      state: { name: null },
    });
  });

  it('records nothing when the request changes nothing', () => {
    const current = existing();
    expect(
      updateCustomer(current, { email: current.email, metadata: { plan: 'pro' } }, later),
    ).toEqual({ kind: 'unchanged', state: current });
    expect(updateCustomer(current, {}, later)).toEqual({ kind: 'unchanged', state: current });
  });

  it('rejects a merge that would leave more than 50 metadata keys', () => {
    const many = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, 'v']));
    expect(updateCustomer(existing(), { metadata: many }, later)).toMatchObject({
      kind: 'rejected',
      param: 'metadata',
    });
  });
});

describe('deleteCustomer', () => {
  it('marks the customer deleted at a new version and records its last state', () => {
    const { state, event } = deleteCustomer(existing({ version: 3 }), later);
    expect(state).toMatchObject({ version: 4, deleted_at: later, updated_at: later });
    expect(event).toEqual({ type: 'CustomerDeleted', data: toCustomer(state) });
  });
});

describe('publicTypeOf', () => {
  it('names each stored type by its public dotted name', () => {
    expect(publicTypeOf('CustomerCreated')).toBe('customer.created');
    expect(publicTypeOf('CustomerUpdated')).toBe('customer.updated');
    expect(publicTypeOf('CustomerDeleted')).toBe('customer.deleted');
  });
});

describe('customerInEvent', () => {
  it("reads a stored event's customer back in the API's field order", () => {
    const customer = toCustomer(existing());
    const reordered = Object.fromEntries(Object.entries(customer).reverse());
    expect(JSON.stringify(customerInEvent(reordered))).toBe(JSON.stringify(customer));
  });
});
