import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EVENT_LOG_TABLE } from '@finfusion/event-store';
import {
  dataSourceOptions,
  migrate,
  requireMigrated,
  type ServiceRoleGrant,
} from '@finfusion/runtime';
import {
  connectAs,
  connectionAs,
  ensureLoginRoles,
  openedPerFile,
  roleName,
  type TestDatabaseClient,
} from '@finfusion/testing';
import { paymentsDatabase } from './database';
import { DATABASE_URL } from './testing/database.fixture';

// The payments schema migrated by its owner (the test database's user) with the grants of the
// migrate command, then used as the service's role: what the service needs works, and the
// database itself refuses everything else with insufficient_privilege (42501), before any
// trigger of the event log is reached.

const INSUFFICIENT_PRIVILEGE = '42501';
const database = new URL(DATABASE_URL).pathname.slice(1);
/** Roles are cluster-wide: one per test database, so parallel checkouts keep to their own. */
const role = roleName(`${database}_payments_grants_it`);

interface Opened {
  owner: DataSource;
  /** The service's schema, granted to the role; another service's, not granted. */
  schema: string;
  other: string;
  service: TestDatabaseClient;
}

/** A payments schema of its own, migrated by the owner; dropped again when the grants fail. */
async function openSchema(grant?: ServiceRoleGrant): Promise<string> {
  const schema = `payments_grants_${randomUUID().slice(0, 8)}`;
  const opened = new DataSource(dataSourceOptions(paymentsDatabase(DATABASE_URL, schema, 2)));
  await opened.initialize();
  try {
    await migrate(opened, schema, grant);
  } catch (error) {
    await opened.query(`DROP SCHEMA "${schema}" CASCADE`);
    throw error;
  } finally {
    await opened.destroy();
  }
  return schema;
}

const grant = { role, appendOnlyTables: [EVENT_LOG_TABLE] };

const db = openedPerFile<Opened>(
  async () => {
    await ensureLoginRoles([role], DATABASE_URL);
    const owner = new DataSource({ type: 'postgres', url: DATABASE_URL });
    await owner.initialize();
    const schema = await openSchema(grant);
    const other = await openSchema();
    return { owner, schema, other, service: await connectAs(role) };
  },
  async ({ owner, schema, other, service }) => {
    await service.end();
    for (const name of [schema, other]) await owner.query(`DROP SCHEMA "${name}" CASCADE`);
    await owner.destroy();
  },
);

/** The SQLSTATE a statement of the service's role fails with, or undefined when it succeeds. */
async function refusal(sql: string, params: readonly unknown[] = []): Promise<string | undefined> {
  try {
    await db.service.query(sql, params);
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

const appendSql = (schema: string) =>
  `INSERT INTO "${schema}".events (stream_id, stream_version, event_id, event_type, data)
   VALUES ($1, 1, $2, 'PaymentCreated', '{}') RETURNING global_position`;

describe('the service role of a schema', () => {
  it('appends to the event log and reads it', async () => {
    const stream = `pay_${randomUUID()}`;
    expect(await refusal(appendSql(db.schema), [stream, `evt_${randomUUID()}`])).toBeUndefined();
    const { rows } = await db.service.query(
      `SELECT event_type FROM "${db.schema}".events WHERE stream_id = $1`,
      [stream],
    );
    expect(rows).toEqual([{ event_type: 'PaymentCreated' }]);
  });

  it('may not update, delete or truncate the event log: the grants refuse it, not the trigger', async () => {
    const events = `"${db.schema}".events`;
    expect(await refusal(`UPDATE ${events} SET event_type = 'x'`)).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await refusal(`DELETE FROM ${events}`)).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await refusal(`TRUNCATE ${events}`)).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it('reads and writes its other tables: checkpoint upserts, read-model rows, deletes', async () => {
    const checkpoint = `sub_${randomUUID()}`;
    const upsert = `INSERT INTO "${db.schema}".checkpoints (subscription_id, global_position)
      VALUES ($1, $2) ON CONFLICT (subscription_id) DO UPDATE SET global_position = EXCLUDED.global_position`;
    expect(await refusal(upsert, [checkpoint, 1])).toBeUndefined();
    expect(await refusal(upsert, [checkpoint, 2])).toBeUndefined();
    expect(
      await refusal(`DELETE FROM "${db.schema}".checkpoints WHERE subscription_id = $1`, [
        checkpoint,
      ]),
    ).toBeUndefined();
    expect(await refusal(`SELECT count(*) FROM "${db.schema}".payments`)).toBeUndefined();
    expect(await refusal(`TRUNCATE "${db.schema}".payments`)).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it('creates nothing in its schema and only reads the migrations table', async () => {
    expect(await refusal(`CREATE TABLE "${db.schema}".extra (id int)`)).toBe(
      INSUFFICIENT_PRIVILEGE,
    );
    expect(
      await refusal(`CREATE FUNCTION "${db.schema}".f() RETURNS int LANGUAGE sql AS 'SELECT 1'`),
    ).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await refusal(`SELECT * FROM "${db.schema}".migrations`)).toBeUndefined();
    expect(await refusal(`DELETE FROM "${db.schema}".migrations`)).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await refusal(`ALTER TABLE "${db.schema}".payments ADD COLUMN x int`)).toBe(
      INSUFFICIENT_PRIVILEGE,
    );
  });

  it('has no rights in another service schema', async () => {
    expect(await refusal(`SELECT count(*) FROM "${db.other}".events`)).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await refusal(appendSql(db.other), [`pay_${randomUUID()}`, `evt_${randomUUID()}`])).toBe(
      INSUFFICIENT_PRIVILEGE,
    );
    expect(await refusal(`CREATE TABLE "${db.other}".extra (id int)`)).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it('gets its rights on a table the owner creates later, as a rebuilt read model', async () => {
    const next = `"${db.schema}".payments_next_${randomUUID().slice(0, 8)}`;
    await db.owner.query(`CREATE TABLE ${next} (LIKE "${db.schema}".payments INCLUDING ALL)`);
    expect(await refusal(`SELECT count(*) FROM ${next}`)).toBeUndefined();
    expect(await refusal(`DELETE FROM ${next}`)).toBeUndefined();
    await db.owner.query(`DROP TABLE ${next}`);
  });

  it('keeps exactly these rights when the migrations run again', async () => {
    const again = new DataSource(dataSourceOptions(paymentsDatabase(DATABASE_URL, db.schema, 2)));
    await again.initialize();
    try {
      await migrate(again, db.schema, grant);
    } finally {
      await again.destroy();
    }
    expect(await refusal(`DELETE FROM "${db.schema}".events`)).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await refusal(`SELECT count(*) FROM "${db.schema}".events`)).toBeUndefined();
  });

  it('starts a service that does not migrate only on a schema with every migration', async () => {
    const asService = async (schema: string) => {
      const dataSource = new DataSource(
        dataSourceOptions(paymentsDatabase(connectionAs(role, DATABASE_URL), schema, 1)),
      );
      await dataSource.initialize();
      try {
        await requireMigrated(dataSource, schema);
      } finally {
        await dataSource.destroy();
      }
    };
    await expect(asService(db.schema)).resolves.toBeUndefined();
    await expect(asService(`payments_unmigrated_${randomUUID().slice(0, 8)}`)).rejects.toThrow(
      /lacks the migrations .*CreatePayments.*: run the app's migrate command/,
    );
  });

  it('must exist, and must not be the role the migrations run as', async () => {
    const [row] = await db.owner.query<{ owner: string }[]>('SELECT current_user AS owner');
    const owner = row?.owner ?? '';
    const migrateAs = (serviceRole: string) => openSchema({ role: serviceRole });
    await expect(migrateAs(owner)).rejects.toThrow(/the role the migrations run as/);
    await expect(migrateAs(roleName(`${database}_no_such_role`))).rejects.toThrow(
      /role \S+ does not exist; create it first/,
    );
  });
});
