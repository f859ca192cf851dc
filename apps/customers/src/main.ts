import 'reflect-metadata';
import { loadConfig } from '@finfusion/config';
import { exitOnBootFailure, runService } from '@finfusion/runtime';
import { AppModule } from './app.module';
import { CUSTOMERS_SCHEMA, CustomersConfig } from './config';
import { customersTopics } from './topics';

async function main(): Promise<void> {
  const config = loadConfig(CustomersConfig);
  await runService({
    name: 'customers',
    module: AppModule.forRoot(config),
    config,
    schema: CUSTOMERS_SCHEMA,
    topics: customersTopics(),
    kafkaServer: true,
  });
}

main().catch(exitOnBootFailure);
