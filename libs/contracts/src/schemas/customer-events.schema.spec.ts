import type { CustomerEvent } from '../events';
import { newId } from '../ids';
import { publicEventSchemas, validatePublicEvent } from './validate';

const customerCreated = (): CustomerEvent => ({
  id: newId('evt'),
  type: 'customer.created',
  schema_version: 1,
  created_at: '2026-03-15T10:30:00.123Z',
  merchant_id: newId('mer'),
  data: {
    object: {
      id: newId('cust'),
      object: 'customer',
      email: 'customer@example.com',
      name: 'John Doe',
      created_at: '2026-03-15T10:30:00.120Z',
      metadata: { company: 'Acme Inc' },
    },
  },
  sequence: 1,
});

/** A deep copy with one change applied, typed loosely so tests can break the shape. */
const changed = (mutate: (event: Record<string, unknown>) => void): unknown => {
  const copy = structuredClone(customerCreated()) as unknown as Record<string, unknown>;
  mutate(copy);
  return copy;
};
const object = (event: Record<string, unknown>) =>
  (event.data as { object: Record<string, unknown> }).object;

describe('customer event schemas', () => {
  it('accepts a well-formed customer.created envelope', () => {
    expect(validatePublicEvent(customerCreated())).toEqual([]);
  });

  it('accepts updated and deleted envelopes at later sequences, with a null name', () => {
    for (const type of ['customer.updated', 'customer.deleted'] as const) {
      const event = { ...customerCreated(), type, sequence: 3 };
      event.data.object.name = null;
      expect(validatePublicEvent(event)).toEqual([]);
    }
  });

  it('declares draft 2020-12 and a stable $id per type and version', () => {
    expect(publicEventSchemas['customer.created']).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'https://api.finfusion.cloud/schemas/events/customer.created.v1.json',
    });
  });

  it.each<[string, (event: Record<string, unknown>) => void, RegExp]>([
    ['an unknown envelope field', (e) => (e.extra = 1), /^\/: .*additional properties \(extra\)/],
    ['a missing sequence', (e) => delete e.sequence, /^\/: must have required property 'sequence'/],
    ['an event id without its prefix', (e) => (e.id = 'abc'), /^\/id: must match pattern/],
    ['a merchant id of the wrong kind', (e) => (e.merchant_id = 'cust_1'), /^\/merchant_id:/],
    ['a created_at that is not a date-time', (e) => (e.created_at = 'yesterday'), /format/],
    ['a schema version the type does not have', (e) => (e.schema_version = 2), /schema_version/],
    ['a creation that is not version 1', (e) => (e.sequence = 2), /^\/sequence:/],
    ['an internal column leaking into the object', (e) => (object(e).version = 1), /version/],
    ['a customer id without its prefix', (e) => (object(e).id = 'pay_1'), /\/data\/object\/id/],
    ['an object of another kind', (e) => (object(e).object = 'payment'), /\/data\/object\/object/],
    ['an email without @', (e) => (object(e).email = 'nobody'), /\/data\/object\/email/],
    ['a metadata value that is not a string', (e) => (object(e).metadata = { a: 1 }), /metadata/],
    ['a missing name', (e) => delete object(e).name, /required property 'name'/],
  ])('rejects %s', (_, mutate, problem) => {
    const errors = validatePublicEvent(changed(mutate));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(problem);
  });

  it('rejects a value that is not an event, or a type without a schema', () => {
    expect(validatePublicEvent(null)).toEqual([expect.stringMatching(/^\/type/)]);
    expect(validatePublicEvent({ ...customerCreated(), type: 'customer.merged' })).toEqual([
      '/type: no schema for event type "customer.merged"',
    ]);
  });

  it('rejects more metadata keys than the API allows', () => {
    const metadata = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    expect(validatePublicEvent(changed((e) => (object(e).metadata = metadata)))).toEqual([
      '/data/object/metadata: must NOT have more than 50 properties',
    ]);
  });
});
