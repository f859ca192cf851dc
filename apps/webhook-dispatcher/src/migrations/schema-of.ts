import type { QueryRunner } from 'typeorm';

/** The schema the data source is configured with, so tests can migrate a schema of their own. */
export const schemaOf = (runner: QueryRunner): string => {
  const schema = runner.connection.driver.schema;
  if (schema === undefined) throw new Error('the webhooks data source must name its schema');
  return schema;
};
