import { randomUUID } from 'node:crypto';
import {
  api,
  collectEvents,
  createMerchant,
  query,
  startWebhookReceiver,
  waitUntil,
  type ApiClient,
  type EventCollector,
  type WebhookReceiver,
} from '@finfusion/testing';
import { ERASED_EMAIL, EventTopics, type Customer, type CustomerEvent } from '@finfusion/contracts';
import { republish } from '../support/republish.fixture';
import { bodyOf, registerEndpoint } from '../support/webhooks.fixture';

// Erasure of a customer's personal data over the whole stack: after DELETE /v2/customers/{id},
// no table of any schema holds its email or names (the customers log has them sealed under a
// data key that the deletion destroyed; the dispatcher erased its stored copies; the gateway
// forgot its kept replies), and the log sent again reads as erased. Kafka's records age out
// with the topic's retention (docs/events.md#personal-data-and-erasure).

interface Column {
  table_schema: string;
  table_name: string;
  column_name: string;
  data_type: string;
}

/** Every column of every table that can hold text, in every schema of the test database. */
const textColumns = async (): Promise<Column[]> =>
  (await query(
    `SELECT c.table_schema, c.table_name, c.column_name, c.data_type
       FROM information_schema.columns c
       JOIN information_schema.tables t USING (table_schema, table_name)
      WHERE t.table_type = 'BASE TABLE'
        AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
        AND c.table_schema NOT LIKE 'pg\\_%'
        AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea',
                            'ARRAY', 'USER-DEFINED')
      ORDER BY 1, 2, 3`,
  )) as unknown as Column[];

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** `schema.table.column` of every row holding one of the needles, as text or as utf8 bytes. */
async function holdersOf(needles: readonly string[]): Promise<string[]> {
  const byTable = new Map<string, Column[]>();
  for (const column of await textColumns()) {
    const table = `${quoted(column.table_schema)}.${quoted(column.table_name)}`;
    byTable.set(table, [...(byTable.get(table) ?? []), column]);
  }
  const found: string[] = [];
  for (const [table, columns] of byTable) {
    const matches = columns.map((column) => {
      const name = quoted(column.column_name);
      return column.data_type === 'bytea'
        ? `(position(convert_to($1, 'UTF8') IN ${name}) > 0 OR position(convert_to($2, 'UTF8') IN ${name}) > 0 OR position(convert_to($3, 'UTF8') IN ${name}) > 0)`
        : `(strpos(${name}::text, $1) > 0 OR strpos(${name}::text, $2) > 0 OR strpos(${name}::text, $3) > 0)`;
    });
    const selects = columns.map(
      (column, index) => `bool_or(${matches[index] ?? 'false'}) AS ${quoted(column.column_name)}`,
    );
    let rows: Record<string, unknown>[];
    try {
      rows = await query(`SELECT ${selects.join(', ')} FROM ${table}`, [...needles]);
    } catch (error) {
      // A test's own schema dropped while we looked: nothing of this customer was in it.
      if ((error as { code?: string }).code === '42P01') continue;
      throw error;
    }
    for (const [column, hit] of Object.entries(rows[0] ?? {})) {
      if (hit === true) found.push(`${table}.${column}`);
    }
  }
  return found;
}

/** The gateway's kept idempotent responses of the merchant. */
const keptReplies = async (merchantId: string): Promise<number> =>
  (await query('SELECT 1 FROM gateway.idempotency_keys WHERE merchant_id = $1', [merchantId]))
    .length;

describe('erasure of a deleted customer', () => {
  let client: ApiClient;
  let merchantId: string;
  let receiver: WebhookReceiver;
  let customers: EventCollector;

  beforeAll(async () => {
    const merchant = await createMerchant();
    merchantId = merchant.merchantId;
    client = api(merchant.apiKey);
    receiver = await startWebhookReceiver();
    customers = await collectEvents(EventTopics.customers);
  });

  afterAll(async () => {
    await customers.stop();
    await receiver.close();
  });

  it('leaves the email and names nowhere in the database, and the log sent again erased', async () => {
    await registerEndpoint(client, receiver, [
      'customer.created',
      'customer.updated',
      'customer.deleted',
    ]);
    const email = `erase-me-${randomUUID()}@example.com`;
    const name = `Ada ${randomUUID()}`;
    const newName = `Grace ${randomUUID()}`;
    const needles = [email, name, newName];

    const created = bodyOf(
      await client.post(
        '/v2/customers',
        { email, name, metadata: { crm: 'r-1' } },
        {
          'Idempotency-Key': randomUUID(),
        },
      ),
    ) as Customer;
    bodyOf(await client.patch(`/v2/customers/${created.id}`, { name: newName }));

    // The dispatcher took both in and delivered them to the merchant (the merchant's copies).
    await receiver.waitForRequests(2, {
      timeoutMs: 30_000,
      where: (request) => request.body.includes(created.id),
    });
    // Before the deletion the kept copies are there: the scan finds what it looks for.
    expect(await holdersOf(needles)).toEqual(
      expect.arrayContaining([
        '"webhooks"."received_events".body',
        '"customers"."customers".email',
      ]),
    );
    expect((await holdersOf(needles)).join('\n')).not.toMatch(/"customers"\."events"/);
    expect(await keptReplies(merchantId)).toBe(1);

    expect(bodyOf(await client.delete(`/v2/customers/${created.id}`))).toEqual({
      id: created.id,
      object: 'customer',
      deleted: true,
    });
    await waitUntil(
      async () =>
        (
          await query(
            `SELECT 1 FROM webhooks.received_events
              WHERE merchant_id = $1 AND event_type = 'customer.deleted'
                AND envelope #>> '{data,object,id}' = $2`,
            [merchantId, created.id],
          )
        ).length === 1,
      30_000,
    );

    expect(await holdersOf(needles)).toEqual([]);
    expect(await keptReplies(merchantId)).toBe(0);
    const copies = await query(
      `SELECT envelope FROM webhooks.received_events
        WHERE merchant_id = $1 AND envelope #>> '{data,object,id}' = $2`,
      [merchantId, created.id],
    );
    expect(copies).toHaveLength(3);
    for (const { envelope } of copies) {
      expect((envelope as CustomerEvent).data.object).toMatchObject({
        email: ERASED_EMAIL,
        name: null,
        metadata: {},
      });
    }

    expect((await client.get(`/v2/customers/${created.id}`)).status).toBe(404);

    // `npm run republish` of the customer's range of the log: every record erased.
    const [range] = await query(
      `SELECT min(global_position)::text AS first, max(global_position)::text AS last
         FROM customers.events WHERE stream_id = $1`,
      [created.id],
    );
    const ofCustomer = () => customers.events.filter((event) => event.key === created.id);
    await customers.waitFor(() => ofCustomer().length >= 3, 30_000);
    const before = ofCustomer().length;
    const { stdout } = await republish('customers', [
      '--topic',
      EventTopics.customers,
      '--from',
      String(range?.first),
      '--to',
      String(range?.last),
    ]);
    expect(stdout).toMatch(/^customers\.customer\.events: \d+ events sent again/m);
    await customers.waitFor(
      () => customers.events.filter((event) => event.key === created.id).length >= before + 3,
      30_000,
    );
    const again = customers.events
      .filter((event) => event.key === created.id)
      .slice(before)
      .map((event) => event.value as CustomerEvent);
    expect(again.map((event) => [event.type, event.sequence])).toEqual([
      ['customer.created', 1],
      ['customer.updated', 2],
      ['customer.deleted', 3],
    ]);
    for (const event of again) {
      expect(event.data.object).toEqual({
        ...created,
        email: ERASED_EMAIL,
        name: null,
        metadata: {},
      });
      for (const needle of needles) expect(JSON.stringify(event)).not.toContain(needle);
    }
  });
});
