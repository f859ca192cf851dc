import { Module, type DynamicModule } from '@nestjs/common';
import { RuntimeModule } from '@finfusion/runtime';
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
        RuntimeModule.forService({
          name: 'webhook-dispatcher',
          config,
          database: webhooksDatabase,
          schema,
        }),
        WebhooksModule.register(config),
      ],
    };
  }
}
