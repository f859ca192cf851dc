import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions, RuntimeModule } from '@finfusion/runtime';
import { DispatcherConfig } from './config';
import { ReceivedEventEntity } from './intake/received-event.entity';
import { EventIntakeService } from './intake/event-intake.service';
import { migrations } from './migrations';

export const SCHEMA = 'webhooks';
export const entities = [ReceivedEventEntity];

@Module({})
export class AppModule {
  static forRoot(config: DispatcherConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        RuntimeModule.forService('webhook-dispatcher', config.LOG_LEVEL),
        TypeOrmModule.forRoot(
          dataSourceOptions({ url: config.DATABASE_URL, schema: SCHEMA, entities, migrations }),
        ),
      ],
      providers: [{ provide: DispatcherConfig, useValue: config }, EventIntakeService],
    };
  }
}
