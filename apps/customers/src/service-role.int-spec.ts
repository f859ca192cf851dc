import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions, migrate } from '@finfusion/runtime';
import {
  connectAs,
  ensureLoginRoles,
  openedPerFile,
  roleName,
  testEnv,
  type TestDatabaseClient,
} from '@finfusion/testing';
import { customersDatabase } from './database';

// The customers schema migrated by its owner with the migrate command's grants, then used as the
// service's role: a data key can be written, read and deleted (erasure), never changed, and the
// event log never changed at all.

const INSUFFICIENT_PRIVILEGE = '42501';
const database = new URL(testEnv.databaseUrl).pathname.slice(1);
const role = roleName(`${database}_customers_grants_it`);

interface Opened {
  owner: DataSource;
  schema: string;
  service: TestDatabaseClient;
}

const db = openedPerFile<Opened>(
  async () => {
    await ensureLoginRoles([role], testEnv.databaseUrl);
    const schema = `customers_grants_${randomUUID().slice(0, 8)}`;
    const settings = customersDatabase(testEnv.databaseUrl, schema, 2);
    const owner = new DataSource(dataSourceOptions(settings));
    await owner.initialize();
    await migrate(owner, schema, {
      role,
      appendOnlyTables: settings.appendOnlyTables,
      writeOnceTables: settings.writeOnceTables,
    });
    return { owner, schema, service: await connectAs(role) };
  },
  async ({ owner, schema, service }) => {
    await service.end();
    await owner.query(`DROP SCHEMA "${schema}" CASCADE`);
    await owner.destroy();
  },
);

async function refusal(sql: string, params: readonly unknown[] = []): Promise<string | undefined> {
  try {
    await db.service.query(sql, params);
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe('the customers service role', () => {
  it('inserts, reads and deletes a data key, and may not change one', async () => {
    const keys = `"${db.schema}".customer_keys`;
    const id = `cust_${randomUUID().replaceAll('-', '')}`;
    expect(
      await refusal(
        `INSERT INTO ${keys} (customer_id, merchant_id, kek_id, wrapped_key) VALUES ($1, 'mer_1', 'k', '\\x00')`,
        [id],
      ),
    ).toBeUndefined();
    expect(await refusal(`SELECT * FROM ${keys} WHERE customer_id = $1`, [id])).toBeUndefined();
    expect(await refusal(`UPDATE ${keys} SET kek_id = 'other' WHERE customer_id = $1`, [id])).toBe(
      INSUFFICIENT_PRIVILEGE,
    );
    expect(await refusal(`DELETE FROM ${keys} WHERE customer_id = $1`, [id])).toBeUndefined();
    expect(await refusal(`TRUNCATE ${keys}`)).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it('may not update or delete the event log', async () => {
    const events = `"${db.schema}".events`;
    expect(await refusal(`UPDATE ${events} SET data = '{}'`)).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await refusal(`DELETE FROM ${events}`)).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it('updates and deletes its read model rows', async () => {
    const customers = `"${db.schema}".customers`;
    expect(await refusal(`UPDATE ${customers} SET name = NULL WHERE false`)).toBeUndefined();
    expect(await refusal(`DELETE FROM ${customers} WHERE false`)).toBeUndefined();
  });
});
