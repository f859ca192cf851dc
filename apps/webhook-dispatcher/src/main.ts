import 'reflect-metadata';
import { serve } from '@finfusion/runtime';
import { AppModule } from './app.module';
import { DispatcherConfig } from './config';
import { dispatcherTopics } from './topics';

serve(DispatcherConfig, (config) => ({
  module: AppModule.forRoot(config),
  topics: dispatcherTopics(),
  kafkaServer: true,
}));
