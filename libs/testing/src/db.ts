import { createRequire } from 'node:module';
import { testEnv } from './env';

// pg ships no type declarations and @types/pg is not a dependency: describe the little we use.
export interface TestDatabaseClient {
  connect(): Promise<unknown>;
  query(text: string, values?: readonly unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}
interface PgModule {
  Client: new (config: { connectionString: string }) => TestDatabaseClient;
}

let pg: PgModule | undefined;

/** A connection of its own to the test database, for tests that hold one open; the caller ends it. */
export const connectToTestDatabase = (): Promise<TestDatabaseClient> =>
  openClient(testEnv.databaseUrl);

/** A connection of its own to a database URL; the caller ends it. */
export async function openClient(connectionString: string): Promise<TestDatabaseClient> {
  pg ??= createRequire(__filename)('pg') as PgModule;
  const client = new pg.Client({ connectionString });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/**
 * Runs one statement against the test database and returns its rows. Each call has its own
 * connection, so no pool keeps a jest worker alive after the tests.
 */
export async function query(
  sql: string,
  params: readonly unknown[] = [],
): Promise<Record<string, unknown>[]> {
  const client = await connectToTestDatabase();
  try {
    const { rows } = await client.query(sql, params);
    return rows;
  } finally {
    await client.end();
  }
}
