import { randomUUID } from 'node:crypto';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { dataSourceOptions, migrate, type DatabaseSettings } from './database';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/finfusion_test';
const schema = `db_test_${randomUUID().slice(0, 8)}`;
const settings = (more: Partial<DatabaseSettings> = {}): DatabaseSettings => ({
  url,
  schema,
  entities: [],
  migrations: [],
  poolSize: 2,
  ...more,
});

const watcher = new DataSource({ type: 'postgres', url });

beforeAll(async () => {
  await watcher.initialize();
});

afterAll(async () => {
  await watcher.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await watcher.destroy();
});

async function withDataSource<T>(
  more: Partial<DatabaseSettings>,
  body: (dataSource: DataSource) => Promise<T>,
): Promise<T> {
  const dataSource = new DataSource(dataSourceOptions(settings(more)));
  await dataSource.initialize();
  try {
    return await body(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

const show = async (dataSource: DataSource, name: string): Promise<string | undefined> => {
  const [row] = await dataSource.query<Record<string, string>[]>(`SHOW ${name}`);
  return row?.[name];
};

describe('service database connections', () => {
  it('bound statements and idle transactions by default', async () => {
    await withDataSource({}, async (dataSource) => {
      expect(await show(dataSource, 'statement_timeout')).toBe('30s');
      expect(await show(dataSource, 'idle_in_transaction_session_timeout')).toBe('1min');
    });
  });

  it('end a session left idle inside a transaction', async () => {
    await withDataSource({ idleInTransactionTimeoutMs: 500 }, async (dataSource) => {
      const runner = dataSource.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      const [me] = (await runner.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[];
      await runner.query('SELECT pg_current_xact_id()');
      await new Promise((resolve) => setTimeout(resolve, 1500));

      const alive = await watcher.query<unknown[]>(
        'SELECT 1 FROM pg_stat_activity WHERE pid = $1',
        [me?.pid],
      );
      expect(alive).toHaveLength(0);
      await expect(runner.query('SELECT 1')).rejects.toThrow();
      await runner.release().catch(() => undefined);
      // The pool replaces the connection: the service goes on.
      expect(await dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    });
  });

  it('cancel a statement that runs past the timeout', async () => {
    await withDataSource({ statementTimeoutMs: 200 }, async (dataSource) => {
      await expect(dataSource.query('SELECT pg_sleep(2)')).rejects.toMatchObject({
        driverError: { code: '57014' },
      });
    });
  });

  it('let migrations run longer than the statement timeout', async () => {
    class SlowMigration1700000000000 implements MigrationInterface {
      name = 'SlowMigration1700000000000';
      async up(runner: QueryRunner): Promise<void> {
        await runner.query('SELECT pg_sleep(0.5)');
        await runner.query(`CREATE TABLE "${schema}".slow (id int)`);
      }
      async down(): Promise<void> {
        // not needed
      }
    }
    await withDataSource(
      { statementTimeoutMs: 200, migrations: [SlowMigration1700000000000] },
      async (dataSource) => {
        expect(await migrate(dataSource, schema)).toEqual(['SlowMigration1700000000000']);
        // The session went back to the pool with its own timeout.
        expect(await show(dataSource, 'statement_timeout')).toBe('200ms');
      },
    );
  });
});
