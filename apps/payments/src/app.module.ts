import { Module, type DynamicModule } from '@nestjs/common';
import { RuntimeModule } from '@finfusion/runtime';
import { PAYMENTS_SCHEMA, type PaymentsConfig } from './config';
import { paymentsDatabase } from './database';
import { PaymentsModule } from './payments/payments.module';

/** The root module, built around the configuration that main.ts loaded and validated once. */
@Module({})
export class AppModule {
  static forRoot(config: PaymentsConfig, schema = PAYMENTS_SCHEMA): DynamicModule {
    return {
      module: AppModule,
      imports: [
        RuntimeModule.forService({ name: 'payments', config, database: paymentsDatabase, schema }),
        PaymentsModule.register(config, schema),
      ],
    };
  }
}
