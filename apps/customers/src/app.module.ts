import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions, RuntimeModule } from '@finfusion/runtime';
import { CUSTOMERS_SCHEMA, type CustomersConfig } from './config';
import { CustomersModule } from './customers/customers.module';
import { customersDatabase } from './database';

/** The root module, built around the configuration that main.ts loaded and validated once. */
@Module({})
export class AppModule {
  static forRoot(config: CustomersConfig, schema = CUSTOMERS_SCHEMA): DynamicModule {
    return {
      module: AppModule,
      imports: [
        RuntimeModule.forService('customers', config.LOG_LEVEL),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(
            customersDatabase(config.DATABASE_URL, schema, config.DATABASE_POOL_SIZE),
          ),
          // Fail the boot within seconds when Postgres is unreachable, with the driver's message.
          retryAttempts: 2,
          retryDelay: 1000,
        }),
        CustomersModule.register(config, schema),
      ],
    };
  }
}
