import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { ServiceConfig } from '@finfusion/config';
import { dataSourceOptions, type ServiceDatabase } from './database';
import { AdminListener } from './admin-server';
import { Readiness } from './health';
import { loggerModule } from './logging';
import { ServiceTracing } from './tracing';

/** Which service a process runs: what `runService` reads from the module it boots. */
export class ServiceIdentity {
  constructor(
    /** The `service` field of every log line, and the Kafka client and request group id. */
    readonly name: string,
    /** The Postgres schema the service owns and migrates. */
    readonly schema: string,
  ) {}
}

export interface ServiceRuntime {
  name: string;
  config: ServiceConfig;
  /** The service's entities and migrations, opened on the configured URL and pool size. */
  database: ServiceDatabase;
  schema: string;
}

/**
 * What every service process has: JSON logging, its database, and the readiness checks its
 * admin listener (health and metrics) answers with.
 */
@Global()
@Module({})
export class RuntimeModule {
  static forService({ name, config, database, schema }: ServiceRuntime): DynamicModule {
    return {
      module: RuntimeModule,
      imports: [
        loggerModule(name, config.LOG_LEVEL),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(database(config.DATABASE_URL, schema, config.DATABASE_POOL_SIZE)),
          // Fail the boot within seconds when Postgres is unreachable, with the driver's message.
          retryAttempts: 2,
          retryDelay: 1000,
        }),
      ],
      providers: [
        Readiness,
        AdminListener,
        { provide: ServiceIdentity, useValue: new ServiceIdentity(name, schema) },
        // Created with the application, so tracing is on before anything that makes spans starts.
        { provide: ServiceTracing, useFactory: () => ServiceTracing.start(config, name) },
      ],
      exports: [Readiness, ServiceIdentity],
    };
  }
}
