import 'reflect-metadata';
import { loadConfig } from '@finfusion/config';
import { exitOnBootFailure, runService } from '@finfusion/runtime';
import { AppModule } from './app.module';
import { DispatcherConfig, WEBHOOKS_SCHEMA } from './config';
import { dispatcherTopics } from './topics';

async function main(): Promise<void> {
  const config = loadConfig(DispatcherConfig);
  await runService({
    name: 'webhook-dispatcher',
    module: AppModule.forRoot(config),
    config,
    schema: WEBHOOKS_SCHEMA,
    kafkaServer: true,
    topics: dispatcherTopics(),
  });
}

main().catch(exitOnBootFailure);
