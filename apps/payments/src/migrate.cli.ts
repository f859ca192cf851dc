import 'reflect-metadata';
import { loadConfig } from '@finfusion/config';
import { exitOnBootFailure, runMigrationsCommand } from '@finfusion/runtime';
import { PAYMENTS_SCHEMA, PaymentsConfig } from './config';
import { paymentsDatabase } from './database';

// Runs the payments migrations and exits: for deployments that migrate before starting the app.
async function main(): Promise<void> {
  const config = loadConfig(PaymentsConfig);
  await runMigrationsCommand(paymentsDatabase(config.DATABASE_URL, PAYMENTS_SCHEMA));
}

main().catch(exitOnBootFailure);
