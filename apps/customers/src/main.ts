import 'reflect-metadata';
import { serve } from '@finfusion/runtime';
import { AppModule } from './app.module';
import { CustomersConfig } from './config';
import { customersTopics } from './topics';

serve(CustomersConfig, (config) => ({
  module: AppModule.forRoot(config),
  topics: customersTopics(),
  kafkaServer: true,
}));
