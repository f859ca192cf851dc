import 'reflect-metadata';
import { topicsOf } from '@finfusion/contracts';
import { serve } from '@finfusion/runtime';
import { AppModule } from './app.module';
import { PaymentsConfig } from './config';

serve(PaymentsConfig, (config) => ({
  module: AppModule.forRoot(config),
  topics: topicsOf('payments', { minInsyncReplicas: config.KAFKA_MIN_INSYNC_REPLICAS }),
  kafkaServer: true,
}));
