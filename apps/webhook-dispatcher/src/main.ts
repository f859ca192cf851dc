import 'reflect-metadata';
import { topicsOf } from '@finfusion/contracts';
import { serve } from '@finfusion/runtime';
import { AppModule } from './app.module';
import { DispatcherConfig } from './config';

serve(DispatcherConfig, (config) => ({
  module: AppModule.forRoot(config),
  topics: topicsOf('webhook-dispatcher', { minInsyncReplicas: config.KAFKA_MIN_INSYNC_REPLICAS }),
  kafkaServer: true,
}));
