import { Module, type DynamicModule } from '@nestjs/common';
import { RuntimeModule } from '@finfusion/runtime';
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
        RuntimeModule.forService({
          name: 'customers',
          config,
          database: customersDatabase,
          schema,
        }),
        CustomersModule.register(config, schema),
      ],
    };
  }
}
