import 'reflect-metadata';
import { topicsOf } from '@finfusion/contracts';
import { serve } from '@finfusion/runtime';
import { AppModule } from './app.module';
import { CustomersConfig } from './config';

serve(CustomersConfig, (config) => ({
  module: AppModule.forRoot(config),
  topics: topicsOf('customers', { minInsyncReplicas: config.KAFKA_MIN_INSYNC_REPLICAS }),
  kafkaServer: true,
}));
