import 'reflect-metadata';
import { loadConfig } from '@finfusion/config';
import { exitOnBootFailure, runMigrationsCommand } from '@finfusion/runtime';
import { DispatcherConfig, WEBHOOKS_SCHEMA } from './config';
import { webhooksDatabase } from './database';

async function main(): Promise<void> {
  const config = loadConfig(DispatcherConfig);
  await runMigrationsCommand(webhooksDatabase(config.DATABASE_URL, WEBHOOKS_SCHEMA));
}

main().catch(exitOnBootFailure);
