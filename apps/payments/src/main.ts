import 'reflect-metadata';
import { serve } from '@finfusion/runtime';
import { AppModule } from './app.module';
import { PaymentsConfig } from './config';
import { paymentsTopics } from './topics';

serve(PaymentsConfig, (config) => ({
  module: AppModule.forRoot(config),
  topics: paymentsTopics(),
  kafkaServer: true,
}));
