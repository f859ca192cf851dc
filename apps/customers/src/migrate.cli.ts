import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { DatabaseConfig, loadConfig } from '@finfusion/config';
import { dataSourceOptions, exitOnBootFailure, runMigrationsCommand } from '@finfusion/runtime';
import { CUSTOMERS_SCHEMA } from './config';
import { customersDatabase } from './database';
import { eraseDeletedPlaintextSql } from './migrations/1765300000000-customer-data-keys';

// Runs the customers migrations as the schema's owner, grants DATABASE_SERVICE_ROLE its rights in
// the schema, and exits: for deployments that migrate before starting the app. It reads the
// database settings only (DatabaseConfig), so a migrate Job holds none of the app's keys.
async function main(): Promise<void> {
  const config = loadConfig(DatabaseConfig);
  const settings = customersDatabase(config.DATABASE_URL, CUSTOMERS_SCHEMA);
  await runMigrationsCommand(settings, config.DATABASE_SERVICE_ROLE);
  await eraseDeletedPlaintext(new DataSource(dataSourceOptions(settings)));
}

/**
 * Customers created before personal data was sealed have plaintext events, which the service
 * cannot change: each run erases those of the customers deleted since (docs/events.md).
 */
async function eraseDeletedPlaintext(dataSource: DataSource): Promise<void> {
  await dataSource.initialize();
  try {
    await dataSource.transaction(async (manager) => {
      for (const statement of eraseDeletedPlaintextSql(CUSTOMERS_SCHEMA)) {
        await manager.query(statement);
      }
    });
  } finally {
    await dataSource.destroy();
  }
}

main().catch(exitOnBootFailure);
