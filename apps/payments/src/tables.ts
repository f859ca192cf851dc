import type { DataSource, EntityManager } from 'typeorm';

/**
 * A table of the schema the data source was opened on, quoted for SQL. Tests open their own
 * schema, so no table name is spelt with a fixed schema.
 */
export function tableOf(source: DataSource | EntityManager, table: string): string {
  const driver = 'driver' in source ? source.driver : source.connection.driver;
  const schema = driver.schema;
  if (schema === undefined) throw new Error('the payments data source must name its schema');
  return `"${schema}".${table}`;
}
