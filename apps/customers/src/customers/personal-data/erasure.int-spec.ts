import { randomUUID } from 'node:crypto';
import { ERASED_EMAIL, newId } from '@finfusion/contracts';
import { bodyOf, newMerchantId, requestOf } from '@finfusion/testing';
import { eraseDeletedPlaintextSql } from '../../migrations/1765300000000-customer-data-keys';
import { customersTestDb } from '../../testing/customers-db.fixture';

// Crypto-shredding of the customers log: personal data is stored sealed under the customer's
// data key, and deleting the customer deletes the key, so every read of the log reads erased.

const db = customersTestDb();

const uniqueEmail = () => `shred-${randomUUID()}@example.com`;
const uniqueName = () => `Name ${randomUUID()}`;

/** Every text of the customer's rows in the schema: events, keys, read model. */
async function storedText(customerId: string): Promise<string> {
  const rows = await db.dataSource.query<{ text: string }[]>(
    `SELECT concat_ws(' ', e.data::text, e.metadata::text) AS text
       FROM "${db.schema}".events e WHERE e.stream_id = $1
     UNION ALL
     SELECT concat_ws(' ', convert_from(k.wrapped_key, 'SQL_ASCII'), k.kek_id)
       FROM "${db.schema}".customer_keys k WHERE k.customer_id = $1
     UNION ALL
     SELECT concat_ws(' ', c.email, c.name, c.metadata::text)
       FROM "${db.schema}".customers c WHERE c.id = $1`,
    [customerId],
  );
  return rows.map((row) => row.text).join('\n');
}

async function eventsText(customerId: string): Promise<string> {
  const rows = await db.dataSource.query<{ text: string }[]>(
    `SELECT data::text || metadata::text AS text FROM "${db.schema}".events WHERE stream_id = $1`,
    [customerId],
  );
  return rows.map((row) => row.text).join('\n');
}

const keyRows = async (customerId: string) =>
  (
    await db.dataSource.query<unknown[]>(
      `SELECT 1 FROM "${db.schema}".customer_keys WHERE customer_id = $1`,
      [customerId],
    )
  ).length;

describe('personal data in the customers log', () => {
  it('is never stored in plaintext in the log, and reads back while the customer lives', async () => {
    const merchantId = newMerchantId();
    const [email, name, newName] = [uniqueEmail(), uniqueName(), uniqueName()];
    const customer = bodyOf(
      await db.handlers.create.handle(
        requestOf(merchantId, { email, name, metadata: { crm: 'ref-42' } }),
      ),
    );
    bodyOf(
      await db.handlers.update.handle(requestOf(merchantId, { id: customer.id, name: newName })),
    );

    const text = await eventsText(customer.id);
    for (const secret of [email, name, newName, 'ref-42']) expect(text).not.toContain(secret);
    expect((await db.rawEvents(customer.id)).map((e) => e.schemaVersion)).toEqual([2, 2]);
    expect(await keyRows(customer.id)).toBe(1);

    expect((await db.events(customer.id)).map((e) => [e.data.email, e.data.name])).toEqual([
      [email, name],
      [email, newName],
    ]);
  });

  it('reads as erased everywhere once the customer is deleted: its key is gone', async () => {
    const merchantId = newMerchantId();
    const [email, name] = [uniqueEmail(), uniqueName()];
    const idempotent = requestOf(
      merchantId,
      { email, name, metadata: { crm: 'ref-43' } },
      { idempotencyKey: `k-${randomUUID()}` },
    );
    const customer = bodyOf(await db.handlers.create.handle(idempotent));
    bodyOf(
      await db.handlers.update.handle(requestOf(merchantId, { id: customer.id, name: 'Later' })),
    );
    bodyOf(await db.handlers.remove.handle(requestOf(merchantId, { id: customer.id })));

    expect(await keyRows(customer.id)).toBe(0);
    const erased = { ...customer, email: ERASED_EMAIL, name: null, metadata: {} };
    expect((await db.events(customer.id)).map((e) => e.data)).toEqual([erased, erased, erased]);
    // The read model keeps the row for the log's sake, but nothing personal in it.
    expect(await db.row(customer.id)).toMatchObject({
      email: ERASED_EMAIL,
      name: null,
      metadata: {},
    });
    // A retried create with the same key answers the erased customer, not the original.
    expect(bodyOf(await db.handlers.create.handle(idempotent))).toEqual(erased);

    const text = await storedText(customer.id);
    for (const secret of [email, name, 'Later', 'ref-43']) expect(text).not.toContain(secret);
  });

  it('reads plaintext events of before sealing as stored, then erased after deletion, and the migrate step erases them', async () => {
    const merchantId = newMerchantId();
    const id = newId('cust');
    const [email, name] = [uniqueEmail(), uniqueName()];
    const createdAt = new Date().toISOString();
    // A customer as the service wrote it before personal data was sealed: version 1, no key.
    const plaintext = { id, object: 'customer', email, name, created_at: createdAt, metadata: {} };
    await db.dataSource.query(
      `INSERT INTO "${db.schema}".customers
         (id, merchant_id, email, name, metadata, version, created_at, updated_at)
       VALUES ($1, $2, $3, $4, '{}', 1, $5, $5)`,
      [id, merchantId, email, name, createdAt],
    );
    await db.dataSource.query(
      `INSERT INTO "${db.schema}".events (stream_id, stream_version, event_id, event_type, schema_version, data, metadata)
       VALUES ($1, 1, $2, 'CustomerCreated', 1, $3, $4)`,
      [id, newId('evt'), JSON.stringify(plaintext), JSON.stringify({ merchantId })],
    );
    expect((await db.events(id)).map((e) => e.data)).toEqual([plaintext]);

    // Its next change gives it a data key; its deletion destroys it.
    bodyOf(await db.handlers.update.handle(requestOf(merchantId, { id, name: 'Renamed' })));
    expect(await keyRows(id)).toBe(1);
    bodyOf(await db.handlers.remove.handle(requestOf(merchantId, { id })));
    expect(await keyRows(id)).toBe(0);
    const erased = { ...plaintext, email: ERASED_EMAIL, name: null };
    expect((await db.events(id)).map((e) => e.data)).toEqual([erased, erased, erased]);

    // The plaintext row the service cannot change is erased by the owner's migrate step.
    expect(await eventsText(id)).toContain(email);
    await db.dataSource.transaction(async (manager) => {
      for (const statement of eraseDeletedPlaintextSql(db.schema)) await manager.query(statement);
    });
    const text = await storedText(id);
    for (const secret of [email, name, 'Renamed']) expect(text).not.toContain(secret);
    expect((await db.events(id)).map((e) => e.data)).toEqual([erased, erased, erased]);
    // The log is append-only again afterwards.
    await expect(
      db.dataSource.query(`DELETE FROM "${db.schema}".events WHERE stream_id = $1`, [id]),
    ).rejects.toThrow(/append-only/);
  });
});
