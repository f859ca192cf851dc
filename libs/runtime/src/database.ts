import type { DataSource, DataSourceOptions, MixedList, EntitySchema } from 'typeorm';

export interface DatabaseSettings {
  url: string;
  schema: string;
  entities: MixedList<string | (new () => unknown) | EntitySchema>;
  migrations: MixedList<string | (new () => unknown)>;
  poolSize?: number;
}

/** A service's TypeORM options: its own schema, its own migrations table, never synchronize. */
export const dataSourceOptions = (settings: DatabaseSettings): DataSourceOptions => ({
  type: 'postgres',
  url: settings.url,
  schema: settings.schema,
  entities: settings.entities,
  migrations: settings.migrations,
  migrationsTableName: 'migrations',
  migrationsRun: false,
  synchronize: false,
  logging: false,
  extra: { max: settings.poolSize ?? 10, connectionTimeoutMillis: 5000 },
});

/**
 * Creates the schema and runs pending migrations. An advisory lock serialises replicas that start
 * together, so each migration runs once.
 */
export async function migrate(dataSource: DataSource, schema: string): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${schema}`]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    return ran.map((migration) => migration.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrations:${schema}`]);
    await runner.release();
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

/** The body of each app's `migrate.cli.ts`: migrate the app's schema and exit. */
export async function runMigrationsCommand(settings: DatabaseSettings): Promise<void> {
  const { DataSource: TypeOrmDataSource } = await import('typeorm');
  const dataSource = new TypeOrmDataSource(dataSourceOptions(settings));
  await dataSource.initialize();
  try {
    const ran = await migrate(dataSource, settings.schema);
    process.stdout.write(
      `${settings.schema}: ${ran.length === 0 ? 'up to date' : `applied ${ran.join(', ')}`}\n`,
    );
  } finally {
    await dataSource.destroy();
  }
}
