import type { QueryRunner } from 'typeorm';

/** The role a service runs as, and the tables of its schema it may only read and append to. */
export interface ServiceRoleGrant {
  role: string;
  /** Tables the role may SELECT and INSERT, never UPDATE or DELETE (an event log). */
  appendOnlyTables?: readonly string[];
  /** Tables the role may SELECT, INSERT and DELETE, never UPDATE (keys written once). */
  writeOnceTables?: readonly string[];
}

/** TypeORM's record of the migrations that ran: written by the owner, read by a starting service. */
export const MIGRATIONS_TABLE = 'migrations';

const quoted = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/**
 * The statements that give a service's role what the service needs in its schema, and nothing
 * more: use of the schema (no CREATE), reading and writing its tables and sequences (no TRUNCATE,
 * REFERENCES or TRIGGER), only SELECT and INSERT on its append-only tables, no UPDATE on its
 * write-once tables, only SELECT on the
 * migrations table (a service checks at start that none is pending). Default privileges give the same rights on tables and sequences the owner
 * creates later (a read model rebuilt into a new table). Idempotent: run after every migration.
 */
export function serviceRoleGrantsSql(schema: string, grant: ServiceRoleGrant): string[] {
  const [s, r] = [quoted(schema), quoted(grant.role)];
  return [
    `GRANT USAGE ON SCHEMA ${s} TO ${r}`,
    `REVOKE CREATE ON SCHEMA ${s} FROM ${r}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${r}`,
    `REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA ${s} FROM ${r}`,
    `GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${s} TO ${r}`,
    `REVOKE SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${s} FROM ${r}`,
    ...(grant.appendOnlyTables ?? []).map(
      (table) => `REVOKE UPDATE, DELETE ON ${s}.${quoted(table)} FROM ${r}`,
    ),
    ...(grant.writeOnceTables ?? []).map(
      (table) => `REVOKE UPDATE ON ${s}.${quoted(table)} FROM ${r}`,
    ),
    `REVOKE INSERT, UPDATE, DELETE ON ${s}.${quoted(MIGRATIONS_TABLE)} FROM ${r}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${r}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT USAGE ON SEQUENCES TO ${r}`,
  ];
}

/**
 * Grants the service's role its rights in the schema, in one transaction, so the service never
 * sees a table with more rights than it keeps. The role must exist (a DBA creates it, with its
 * login) and must not be the one migrating: its rights would be taken from the owner.
 */
export async function grantServiceRole(
  runner: QueryRunner,
  schema: string,
  grant: ServiceRoleGrant,
): Promise<void> {
  const [row] = (await runner.query(
    'SELECT current_user AS owner, EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS found',
    [grant.role],
  )) as [{ owner: string; found: boolean }];
  if (row.owner === grant.role) {
    throw new Error(
      `DATABASE_SERVICE_ROLE is ${grant.role}, the role the migrations run as: the service's ` +
        'role must be another one (docs/operations.md#postgres-roles-and-grants)',
    );
  }
  if (!row.found) {
    throw new Error(
      `DATABASE_SERVICE_ROLE: role ${grant.role} does not exist; create it first ` +
        '(docs/operations.md#postgres-roles-and-grants)',
    );
  }
  await runner.startTransaction();
  try {
    for (const statement of serviceRoleGrantsSql(schema, grant)) await runner.query(statement);
    await runner.commitTransaction();
  } catch (error) {
    await runner.rollbackTransaction();
    throw error;
  }
}
