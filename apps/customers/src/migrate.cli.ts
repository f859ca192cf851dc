import 'reflect-metadata';
import { DatabaseConfig, loadConfig } from '@finfusion/config';
import { exitOnBootFailure, runMigrationsCommand } from '@finfusion/runtime';
import { CUSTOMERS_SCHEMA } from './config';
import { customersDatabase } from './database';

// Runs the customers migrations as the schema's owner, grants DATABASE_SERVICE_ROLE its rights in
// the schema, and exits: for deployments that migrate before starting the app. It reads the
// database settings only (DatabaseConfig), so a migrate Job holds none of the app's keys.
async function main(): Promise<void> {
  const config = loadConfig(DatabaseConfig);
  await runMigrationsCommand(
    customersDatabase(config.DATABASE_URL, CUSTOMERS_SCHEMA),
    config.DATABASE_SERVICE_ROLE,
  );
}

main().catch(exitOnBootFailure);
