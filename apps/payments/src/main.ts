import 'reflect-metadata';
import { loadConfig } from '@finfusion/config';
import { exitOnBootFailure, runService } from '@finfusion/runtime';
import { appModule } from './app.module';
import { PAYMENTS_SCHEMA, PaymentsConfig } from './config';
import { paymentsTopics } from './topics';

async function main(): Promise<void> {
  const config = loadConfig(PaymentsConfig);
  await runService({
    name: 'payments',
    module: appModule(config),
    config,
    schema: PAYMENTS_SCHEMA,
    topics: paymentsTopics(),
    kafkaServer: true,
  });
}

main().catch(exitOnBootFailure);
