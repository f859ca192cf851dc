import { randomUUID } from 'node:crypto';
import { ERASED_EMAIL, newId, type Customer } from '@finfusion/contracts';
import { newMerchantId, publicEvent } from '@finfusion/testing';
import { recordOf, webhooksTestBed, type TestDispatcher } from '../testing/webhooks.fixture';
import { erasedBody } from './customer-erasure';

// Taking in customer.deleted erases the customer's personal data from every stored copy of its
// earlier events, in the transaction that records the deletion.

const bed = webhooksTestBed();
let made: TestDispatcher;
beforeAll(() => {
  made = bed.dispatcher();
});

const customerOf = (overrides: Partial<Customer> = {}): Customer => ({
  id: newId('cust'),
  object: 'customer',
  email: `erase-${randomUUID()}@example.com`,
  name: `Name ${randomUUID()}`,
  created_at: new Date().toISOString(),
  metadata: { crm: 'ref-1' },
  ...overrides,
});

const erased = (customer: Customer): Customer => ({
  ...customer,
  email: ERASED_EMAIL,
  name: null,
  metadata: {},
});

interface StoredCopy {
  event_id: string;
  body: string;
  envelope: { data: { object: Customer } };
}

const storedCopies = (eventIds: string[]) =>
  bed.db.query<StoredCopy>(
    'SELECT event_id, body, envelope FROM $schema.received_events WHERE event_id = ANY($1) ORDER BY event_id',
    [eventIds],
  );

describe('taking in customer.deleted', () => {
  it("erases the customer's earlier events, envelope and body, and leaves other customers alone", async () => {
    const merchantId = newMerchantId();
    await made.endpoint(merchantId, 'http://127.0.0.1:9/hooks', ['*']);
    const customer = customerOf();
    const renamed = { ...customer, name: 'Renamed' };
    const other = customerOf();
    const created = publicEvent(merchantId, 'customer.created', customer);
    const updated = publicEvent(merchantId, 'customer.updated', renamed, 2);
    const otherCreated = publicEvent(merchantId, 'customer.created', other);
    await made.recorder.record(recordOf(created));
    await made.recorder.recordBatch([recordOf(updated), recordOf(otherCreated)]);

    const deleted = publicEvent(merchantId, 'customer.deleted', erased(customer), 3);
    expect(await made.recorder.record(recordOf(deleted))).toMatchObject({ deliveries: 1 });

    const copies = await storedCopies([created.id, updated.id, deleted.id]);
    expect(copies).toHaveLength(3);
    for (const copy of copies) {
      expect(copy.envelope.data.object).toEqual(erased(customer));
      expect(JSON.parse(copy.body)).toEqual(copy.envelope);
      for (const secret of [customer.email, customer.name ?? '', 'Renamed', 'ref-1']) {
        expect(copy.body).not.toContain(secret);
      }
    }
    // Everything else of the envelope is as received, in the same order.
    const [createdCopy] = await storedCopies([created.id]);
    expect(createdCopy?.body).toBe(
      JSON.stringify({ ...created, data: { object: erased(customer) } }),
    );
    const [otherCopy] = await storedCopies([otherCreated.id]);
    expect(otherCopy?.body).toBe(JSON.stringify(otherCreated));

    // The deliveries still pending now send the erased bodies (signed as they are sent).
    const pending = await bed.db.query<{ body: string }>(
      `SELECT r.body FROM $schema.deliveries d JOIN $schema.received_events r USING (event_id)
        WHERE d.event_id = ANY($1) AND d.status = 'pending'`,
      [[created.id, updated.id]],
    );
    expect(pending).toHaveLength(2);
    for (const { body } of pending) expect(body).not.toContain(customer.email);
  });

  it('erases, as it arrives, an earlier event of a deleted customer taken in late', async () => {
    const merchantId = newMerchantId();
    const customer = customerOf();
    await made.recorder.record(
      recordOf(publicEvent(merchantId, 'customer.deleted', erased(customer), 2)),
    );
    const late = publicEvent(merchantId, 'customer.created', customer);
    await made.recorder.recordBatch([recordOf(late)]);
    const [copy] = await storedCopies([late.id]);
    expect(copy?.envelope.data.object).toEqual(erased(customer));
  });

  it("does not touch another merchant's customer of the same id", async () => {
    const customer = customerOf();
    const mine = publicEvent(newMerchantId(), 'customer.created', customer);
    await made.recorder.record(recordOf(mine));
    await made.recorder.record(
      recordOf(publicEvent(newMerchantId(), 'customer.deleted', erased(customer), 2)),
    );
    const [copy] = await storedCopies([mine.id]);
    expect(copy?.body).toBe(JSON.stringify(mine));
  });
});

describe('erasedBody', () => {
  it('keeps a body with nothing left to erase byte for byte', () => {
    const body = JSON.stringify(publicEvent('mer_1', 'customer.deleted', erased(customerOf()), 2));
    expect(erasedBody(body)).toBe(body);
  });
});
