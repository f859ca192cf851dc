import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions, RuntimeModule } from '@finfusion/runtime';
import { WEBHOOKS_SCHEMA, type DispatcherConfig } from './config';
import { webhooksDatabase } from './database';
import { WebhooksModule } from './webhooks.module';

/** The root module, built around the configuration that main.ts loaded and validated once. */
@Module({})
export class AppModule {
  static forRoot(config: DispatcherConfig, schema = WEBHOOKS_SCHEMA): DynamicModule {
    return {
      module: AppModule,
      imports: [
        RuntimeModule.forService('webhook-dispatcher', config.LOG_LEVEL),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(
            webhooksDatabase(config.DATABASE_URL, schema, config.DATABASE_POOL_SIZE),
          ),
          // Fail the boot within seconds when Postgres is unreachable, with the driver's message.
          retryAttempts: 2,
          retryDelay: 1000,
        }),
        WebhooksModule.register(config),
      ],
    };
  }
}
