import type { EntityManager } from 'typeorm';
import { ERASED_EMAIL, validatePublicEvent } from '@finfusion/contracts';
import type { StoredEvent } from '@finfusion/event-store';
import { createCustomer, deleteCustomer } from '../domain/customer';
import type { CustomerKeys } from '../personal-data/customer-keys';
import { readChanges } from '../personal-data/customer-log';
import { toPublicEvent } from './public-event';

const now = new Date('2026-03-15T10:30:00.123Z');
const created = createCustomer(
  {
    id: 'cust_8Xq2',
    merchantId: 'mer_7Hd1',
    email: 'ada@example.com',
    name: 'Ada',
    metadata: { plan: 'pro' },
  },
  now,
);

const stored = (overrides: Partial<StoredEvent> = {}): StoredEvent => ({
  globalPosition: '41',
  transactionId: '900',
  streamId: created.state.id,
  streamVersion: 1,
  eventId: 'evt_Kp3',
  type: created.event.type,
  schemaVersion: 1,
  data: created.event.data,
  metadata: {
    merchantId: 'mer_7Hd1',
    requestId: 'req_1',
    correlationId: 'req_1',
    idempotencyKey: 'k-1',
    occurredAt: now.toISOString(),
  },
  recordedAt: new Date('2026-03-15T10:30:00.130Z'),
  ...overrides,
});

describe('toPublicEvent', () => {
  it('wraps the stored customer in the public envelope, valid against its schema', () => {
    const event = toPublicEvent(stored({ schemaVersion: 2 }), created.event);
    // The public schema version of the type, and the time the change was decided.
    expect(event).toEqual({
      id: 'evt_Kp3',
      type: 'customer.created',
      schema_version: 1,
      created_at: '2026-03-15T10:30:00.123Z',
      merchant_id: 'mer_7Hd1',
      data: { object: created.event.data },
      sequence: 1,
    });
    expect(validatePublicEvent(event)).toEqual([]);
  });

  it('names a deletion customer.deleted at its stream version', () => {
    const deleted = deleteCustomer(created.state, now);
    const event = toPublicEvent(
      stored({ type: deleted.event.type, streamVersion: 2 }),
      deleted.event,
    );
    expect(event).toMatchObject({ type: 'customer.deleted', sequence: 2 });
    // The deletion erased the personal data; the schema of v1 still holds.
    expect(event.data.object).toMatchObject({ email: ERASED_EMAIL, name: null, metadata: {} });
    expect(validatePublicEvent(event)).toEqual([]);
  });

  it('refuses a stored type it does not know rather than dropping the event', async () => {
    const keys = { accessTo: () => Promise.resolve(new Map()) } as unknown as CustomerKeys;
    await expect(
      readChanges(keys, {} as EntityManager, [stored({ type: 'CustomerMerged' })]),
    ).rejects.toThrow(/CustomerMerged/);
  });
});
