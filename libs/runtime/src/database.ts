import { grantServiceRole, MIGRATIONS_TABLE, type ServiceRoleGrant } from './service-role';
import {
  MigrationExecutor,
  type DataSource,
  type DataSourceOptions,
  type MixedList,
  type EntitySchema,
} from 'typeorm';

export interface DatabaseSettings {
  url: string;
  schema: string;
  entities: MixedList<string | (new () => unknown) | EntitySchema>;
  migrations: MixedList<string | (new () => unknown)>;
  /** Tables of the schema a service role may only read and append to (its event log). */
  appendOnlyTables?: readonly string[];
  /** Tables whose rows a service role may insert and delete but never change (data keys). */
  writeOnceTables?: readonly string[];
  poolSize?: number;
  /**
   * Postgres `statement_timeout` of every connection, in ms (0: none). A runaway statement is
   * cancelled instead of holding locks and the event log's readers (they only read what is older
   * than the oldest open transaction).
   */
  statementTimeoutMs?: number;
  /**
   * Postgres `idle_in_transaction_session_timeout`, in ms (0: none): a session left idle inside a
   * transaction (a leaked query runner, a stuck request) is ended by the server.
   */
  idleInTransactionTimeoutMs?: number;
}

/** A service's database opened on a URL and schema, with a pool of its own size. */
export type ServiceDatabase = (url: string, schema: string, poolSize?: number) => DatabaseSettings;

/**
 * A service's database, one definition for the app, its commands and its tests (which pass a
 * schema of their own): its entities and migrations, opened on a URL and schema.
 */
export const serviceDatabase =
  (
    definition: Pick<
      DatabaseSettings,
      'entities' | 'migrations' | 'appendOnlyTables' | 'writeOnceTables'
    >,
  ): ServiceDatabase =>
  (url, schema, poolSize) => ({
    url,
    schema,
    ...definition,
    poolSize,
  });

export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
export const DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;

/** A service's TypeORM options: its own schema, its own migrations table, never synchronize. */
export const dataSourceOptions = (settings: DatabaseSettings): DataSourceOptions => ({
  type: 'postgres',
  url: settings.url,
  schema: settings.schema,
  entities: settings.entities,
  migrations: settings.migrations,
  migrationsTableName: MIGRATIONS_TABLE,
  migrationsRun: false,
  synchronize: false,
  logging: false,
  extra: {
    max: settings.poolSize ?? 10,
    connectionTimeoutMillis: 5000,
    // Sent by node-postgres as startup parameters: each connection of the pool has them.
    statement_timeout: settings.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
    idle_in_transaction_session_timeout:
      settings.idleInTransactionTimeoutMs ?? DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  },
});

/**
 * Creates the schema and runs pending migrations. An advisory lock serialises replicas that start
 * together, so each migration runs once. Migrations (and the wait for another replica's) may take
 * longer than a request's statement timeout: their session runs without the timeouts. With
 * `grant`, the service's role is then given its rights in the schema (every run, so a new table
 * or a changed rule reaches it).
 */
export async function migrate(
  dataSource: DataSource,
  schema: string,
  grant?: ServiceRoleGrant,
): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SET statement_timeout = 0');
    await runner.query('SET idle_in_transaction_session_timeout = 0');
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${schema}`]);
    try {
      await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      const ran = await executor.executePendingMigrations();
      if (grant !== undefined) await grantServiceRole(runner, schema, grant);
      return ran.map((migration) => migration.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrations:${schema}`]);
    }
  } finally {
    // Back to the connection's own timeouts before it returns to the pool.
    await runner.query('RESET statement_timeout').catch(() => undefined);
    await runner.query('RESET idle_in_transaction_session_timeout').catch(() => undefined);
    await runner.release();
  }
}

/**
 * Refuses to start a service (MIGRATIONS_RUN=false) on a schema that lacks some of its
 * migrations: its code would meet tables it does not know. Reads the migrations table only.
 */
export async function requireMigrated(dataSource: DataSource, schema: string): Promise<void> {
  const pending = await new MigrationExecutor(dataSource).getPendingMigrations();
  if (pending.length > 0) {
    throw new Error(
      `the ${schema} schema lacks the migrations ${pending.map((m) => m.name).join(', ')}: ` +
        "run the app's migrate command (migrate.cli.js) first, or start it with MIGRATIONS_RUN=true",
    );
  }
}

export async function databaseAnswers(dataSource: DataSource, timeoutMs = 2000): Promise<boolean> {
  if (!dataSource.isInitialized) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => {
      resolve(false);
    }, timeoutMs);
  });
  try {
    return await Promise.race([
      dataSource.query('SELECT 1').then(
        () => true,
        () => false,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The body of each app's `migrate.cli.ts`: migrate the app's schema, grant `serviceRole` (when
 * not empty) its rights there, and exit.
 */
export async function runMigrationsCommand(
  settings: DatabaseSettings,
  serviceRole = '',
): Promise<void> {
  const { DataSource: TypeOrmDataSource } = await import('typeorm');
  const dataSource = new TypeOrmDataSource(dataSourceOptions(settings));
  await dataSource.initialize();
  try {
    const grant =
      serviceRole === ''
        ? undefined
        : {
            role: serviceRole,
            appendOnlyTables: settings.appendOnlyTables,
            writeOnceTables: settings.writeOnceTables,
          };
    const ran = await migrate(dataSource, settings.schema, grant);
    const done = ran.length === 0 ? 'up to date' : `applied ${ran.join(', ')}`;
    const granted = grant === undefined ? '' : `; ${serviceRole} granted its rights`;
    process.stdout.write(`${settings.schema}: ${done}${granted}\n`);
  } finally {
    await dataSource.destroy();
  }
}
