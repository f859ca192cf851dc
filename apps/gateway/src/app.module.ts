import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { DataSource } from 'typeorm';
import { RuntimeModule } from '@finfusion/runtime';
import { ApiKeyAuthenticator } from './auth/api-key.authenticator';
import { GatewayConfig } from './config';
import { CustomersModule } from './customers/customers.module';
import { GATEWAY_SCHEMA, gatewayDatabase } from './database';
import { ApiExceptionFilter } from './errors/api-exception.filter';
import { EventsModule } from './events/events.module';
import { ServiceClient } from './forwarding/service-client';
import { RequestContextInterceptor } from './http/request-context.interceptor';
import { RouteTable } from './http/route-table';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyStore } from './idempotency/idempotency.store';
import { IdempotencySweeper } from './idempotency/idempotency.sweeper';
import { ResponseSealer } from './idempotency/response-sealer';
import { MerchantDirectory } from './merchants/merchant-directory';
import { PaymentsModule } from './payments/payments.module';
import { AuthAttemptLimiter } from './rate-limit/auth-attempt-limiter';
import { RefundsModule } from './refunds/refunds.module';
import { GatewayValidationPipe } from './validation/gateway-validation.pipe';
import { WebhooksModule } from './webhooks/webhooks.module';
import { EventSchemasController } from './docs/event-schemas.controller';

// An in_progress idempotency record older than the request timeout plus this belongs to a
// request whose process died: a retry may take it over.
const STALE_MARGIN_MS = 5000;

/** The root module, built around the configuration that main.ts loaded and validated once. */
@Global()
@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        RuntimeModule.forService({
          name: 'gateway',
          config,
          database: gatewayDatabase,
          schema: GATEWAY_SCHEMA,
        }),
        ThrottlerModule.forRoot({
          throttlers: [
            {
              name: 'default',
              limit: config.RATE_LIMIT_REQUESTS,
              ttl: config.RATE_LIMIT_WINDOW_MS,
              // A sliding window without a penalty: refused requests do not extend the wait.
              blockDuration: 0,
            },
          ],
        }),
        CustomersModule,
        PaymentsModule,
        RefundsModule,
        WebhooksModule,
        EventsModule,
      ],
      controllers: [EventSchemasController],
      providers: [
        { provide: GatewayConfig, useValue: config },
        {
          provide: MerchantDirectory,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => new MerchantDirectory(dataSource),
        },
        {
          provide: IdempotencyStore,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) =>
            new IdempotencyStore(dataSource, {
              ttlHours: config.IDEMPOTENCY_TTL_HOURS,
              staleAfterMs: config.REQUEST_TIMEOUT_MS + STALE_MARGIN_MS,
              sealer: new ResponseSealer(config.IDEMPOTENCY_ENCRYPTION_KEYS),
            }),
        },
        AuthAttemptLimiter,
        ApiKeyAuthenticator,
        ServiceClient,
        RouteTable,
        IdempotencySweeper,
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: APP_PIPE, useClass: GatewayValidationPipe },
        // In this order: the request context wraps the idempotency check and the handler.
        { provide: APP_INTERCEPTOR, useClass: RequestContextInterceptor },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
      exports: [GatewayConfig, ApiKeyAuthenticator, ServiceClient, RouteTable, IdempotencyStore],
    };
  }
}
