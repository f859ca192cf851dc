import 'reflect-metadata';
import { loadConfig } from '@finfusion/config';
import { exitOnBootFailure, runMigrationsCommand } from '@finfusion/runtime';
import { entities, SCHEMA } from './app.module';
import { DispatcherConfig } from './config';
import { migrations } from './migrations';

async function main(): Promise<void> {
  const config = loadConfig(DispatcherConfig);
  await runMigrationsCommand({ url: config.DATABASE_URL, schema: SCHEMA, entities, migrations });
}

main().catch(exitOnBootFailure);
