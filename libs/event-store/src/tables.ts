import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** Whatever reaches a connection: a data source, a manager, a migration's query runner. */
export type SchemaSource = DataSource | EntityManager | QueryRunner;

/**
 * The Postgres schema the data source was opened on. Services and their tests open schemas of
 * their own, so no SQL spells a fixed schema.
 */
export function schemaOf(source: SchemaSource): string {
  const driver = 'driver' in source ? source.driver : source.connection.driver;
  const schema = driver.schema;
  if (schema === undefined) throw new Error('the data source must name its schema');
  return schema;
}

/** A table of the data source's schema, quoted for SQL: `"payments".payments`. */
export const tableOf = (source: SchemaSource, table: string): string =>
  `"${schemaOf(source)}".${table}`;

/** Runs a migration's statements in order (the DDL helpers of this library return lists). */
export async function runStatements(
  queryRunner: QueryRunner,
  statements: readonly string[],
): Promise<void> {
  for (const statement of statements) await queryRunner.query(statement);
}
