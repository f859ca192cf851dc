import 'reflect-metadata';
import { loadConfig } from '@finfusion/config';
import { exitOnBootFailure, runMigrationsCommand } from '@finfusion/runtime';
import { GatewayConfig } from './config';
import { GATEWAY_SCHEMA, gatewayDatabase } from './database';

// Runs the gateway migrations and exits: for deployments that migrate before starting the app.
async function main(): Promise<void> {
  const config = loadConfig(GatewayConfig);
  await runMigrationsCommand(gatewayDatabase(config.DATABASE_URL, GATEWAY_SCHEMA));
}

main().catch(exitOnBootFailure);
