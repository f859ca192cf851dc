import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EventStore } from '../event-store';
import { createEventStoreSql, notifyOnAppendSql } from '../schema';

export interface LogSchema {
  schema: string;
  dataSource: DataSource;
  store: EventStore;
}

/**
 * An event log in a schema of its own for the test file that calls this at its top: created
 * before its tests, dropped after them, so files never see each other's events.
 */
export function useLogSchema(prefix: string, poolSize = 10): LogSchema {
  const schema = `${prefix}_${randomUUID().slice(0, 8)}`;
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/finfusion_test';
  const dataSource = new DataSource({ type: 'postgres', url, extra: { max: poolSize } });

  beforeAll(async () => {
    await dataSource.initialize();
    await dataSource.query(`CREATE SCHEMA "${schema}"`);
    for (const statement of [...createEventStoreSql(schema), ...notifyOnAppendSql(schema)]) {
      await dataSource.query(statement);
    }
  });

  afterAll(async () => {
    await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
    await dataSource.destroy();
  });

  return { schema, dataSource, store: new EventStore(schema) };
}
