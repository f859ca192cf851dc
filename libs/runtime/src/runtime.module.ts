import { Global, Module, type DynamicModule } from '@nestjs/common';
import { HealthController, Readiness } from './health';
import { loggerModule } from './logging';

/** Logging, health and metrics for one service process. */
@Global()
@Module({})
export class RuntimeModule {
  static forService(service: string, logLevel: string): DynamicModule {
    return {
      module: RuntimeModule,
      imports: [loggerModule(service, logLevel)],
      controllers: [HealthController],
      providers: [Readiness],
      exports: [Readiness],
    };
  }
}
