import { connectToTestDatabase, openClient, type TestDatabaseClient } from './db';
import { testEnv, type ServiceName } from './env';

/** A text made a Postgres role name: lower case, a-z 0-9 _, at most 63 characters. */
export const roleName = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .replace(/^(?=[0-9])/, '_')
    .slice(0, 63);

const databaseOf = (url: string): string => decodeURIComponent(new URL(url).pathname.slice(1));

/**
 * The role a service of the test stack runs as. Roles belong to the whole Postgres cluster, so
 * each test database has its own (`<database>_<app>`): two checkouts testing at once on one
 * server (TEST_DATABASE) never grant or use each other's.
 */
export const serviceRoleOf = (app: ServiceName, databaseUrl = testEnv.databaseUrl): string =>
  roleName(`${databaseOf(databaseUrl)}_${app}`);

/** The same server, database and password, logged in as `role`. */
export function connectionAs(role: string, databaseUrl = testEnv.databaseUrl): string {
  const url = new URL(databaseUrl);
  url.username = role;
  return url.toString();
}

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const quoteLiteral = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/**
 * Creates each role, with a login and the password of `databaseUrl` (if it has one), unless it
 * exists. Several runs may create the same role at once: a role another one created meanwhile is
 * `duplicate_object`, or `unique_violation` when both inserted it at the same moment.
 */
export async function ensureLoginRoles(
  roles: readonly string[],
  databaseUrl = testEnv.databaseUrl,
): Promise<void> {
  const password = decodeURIComponent(new URL(databaseUrl).password);
  const login = password === '' ? 'LOGIN' : `LOGIN PASSWORD ${quoteLiteral(password)}`;
  const client = await openClient(databaseUrl);
  try {
    for (const role of roles) {
      await client.query(
        `DO $$ BEGIN CREATE ROLE ${quoteIdent(role)} ${login};
         EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`,
      );
    }
  } finally {
    await client.end();
  }
}

/** A connection of its own to the test database as `role`; the caller ends it. */
export const connectAs = (role: string): Promise<TestDatabaseClient> =>
  role === '' ? connectToTestDatabase() : openClient(connectionAs(role));
