import { Module, type Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions, RuntimeModule } from '@finfusion/runtime';
import { PAYMENTS_SCHEMA, type PaymentsConfig } from './config';
import { paymentsDatabase } from './database';
import { PaymentsModule } from './payments/payments.module';

/** The root module, built around the configuration that main.ts loaded and validated once. */
export function appModule(config: PaymentsConfig, schema = PAYMENTS_SCHEMA): Type<unknown> {
  @Module({
    imports: [
      RuntimeModule.forService('payments', config.LOG_LEVEL),
      TypeOrmModule.forRoot({
        ...dataSourceOptions(
          paymentsDatabase(config.DATABASE_URL, schema, config.DATABASE_POOL_SIZE),
        ),
        // Fail the boot within seconds when Postgres is unreachable, with the driver's message.
        retryAttempts: 2,
        retryDelay: 1000,
      }),
      PaymentsModule.register(config, schema),
    ],
  })
  class AppModule {}
  return AppModule;
}
