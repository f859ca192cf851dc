import 'reflect-metadata';
import { loadConfig } from '@finfusion/config';
import { exitOnBootFailure, runMigrationsCommand } from '@finfusion/runtime';
import { CUSTOMERS_SCHEMA, CustomersConfig } from './config';
import { customersDatabase } from './database';

// Runs the customers migrations and exits: for deployments that migrate before starting the app.
async function main(): Promise<void> {
  const config = loadConfig(CustomersConfig);
  await runMigrationsCommand(customersDatabase(config.DATABASE_URL, CUSTOMERS_SCHEMA));
}

main().catch(exitOnBootFailure);
