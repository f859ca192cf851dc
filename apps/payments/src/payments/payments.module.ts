import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventStore } from '@finfusion/event-store';
import { Readiness, Clock, structuredLogger } from '@finfusion/runtime';
import { PaymentsConfig } from '../config';
import { Acquirer } from './acquirer/acquirer';
import { postgresLedgers } from './acquirer/test-acquirer.ledger';
import { TestAcquirer } from './acquirer/test-acquirer';
import { CancelPaymentHandler } from './cancel-payment/cancel-payment.handler';
import { CapturePaymentHandler } from './capture-payment/capture-payment.handler';
import { CardFingerprints } from './card-fingerprints';
import { CardTransit } from './create-payment/card-transit';
import { CreateIdempotency } from './create-payment/create-idempotency';
import { CreatePaymentHandler } from './create-payment/create-payment.handler';
import { CreatePaymentInput } from './create-payment/create-payment.input';
import { IdempotencyKeys } from './create-payment/idempotency-keys';
import { CreateRefundHandler } from './create-refund/create-refund.handler';
import { RefundIds } from './create-refund/refund-ids';
import { RefundOutcomes } from './create-refund/refund-outcomes';
import { CustomerDirectory } from './customer-directory/customer-directory';
import { CustomerEventsConsumer } from './customer-directory/customer-events.consumer';
import { CustomerLookup } from './customer-directory/customer-lookup';
import { CustomersServiceLookup } from './customer-directory/customers-service.lookup';
import { GetPaymentEventsHandler } from './get-payment-events/get-payment-events.handler';
import { GetPaymentHandler } from './get-payment/get-payment.handler';
import { GetRefundHandler } from './get-refund/get-refund.handler';
import { ListPaymentsHandler } from './list-payments/list-payments.handler';
import { ListRefundsHandler } from './list-refunds/list-refunds.handler';
import { PaymentStore } from './payment.store';
import { DailyReportHandler } from './projections/daily-summary/daily-report.handler';
import { DailySummaryProjection } from './projections/daily-summary/daily-summary.projection';
import { PaymentReadModel } from './projections/payment-read-model/payment-read-model';
import { PaymentEventRecords, PaymentEventsRelay } from './publishing/payment-events.relay';
import { PendingPaymentRecovery } from './recover-pending/pending-payment.recovery';
import { PendingRefundRecovery } from './recover-pending/pending-refund.recovery';
import { AuthorizationExpiry } from './expire-authorizations/authorization-expiry';
import { IdempotencyKeyRetention } from './create-payment/idempotency-key.retention';
import { kafkaConnection } from '@finfusion/kafka';

/**
 * The payments feature: request handlers, the event-sourced store with its synchronous read model,
 * the asynchronous daily summary, the relay to Kafka and the customer directory.
 */
@Module({})
export class PaymentsModule {
  static register(config: PaymentsConfig, schema: string): DynamicModule {
    return {
      module: PaymentsModule,
      controllers: [
        CreatePaymentHandler,
        GetPaymentHandler,
        ListPaymentsHandler,
        GetPaymentEventsHandler,
        DailyReportHandler,
        CapturePaymentHandler,
        CancelPaymentHandler,
        CreateRefundHandler,
        GetRefundHandler,
        ListRefundsHandler,
      ],
      providers: [
        { provide: PaymentsConfig, useValue: config },
        { provide: EventStore, useValue: new EventStore(schema) },
        // The only acquirer so far: the deterministic test acquirer.
        {
          provide: Acquirer,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => new TestAcquirer(postgresLedgers(dataSource)),
        },
        Clock,
        CardFingerprints,
        CardTransit,
        PaymentReadModel,
        PaymentStore,
        IdempotencyKeys,
        CreateIdempotency,
        CreatePaymentInput,
        RefundIds,
        RefundOutcomes,
        { provide: CustomerLookup, useClass: CustomersServiceLookup },
        CustomerDirectory,
        {
          provide: CustomerEventsConsumer,
          inject: [CustomerDirectory, Readiness],
          useFactory: (directory: CustomerDirectory, readiness: Readiness) => {
            const consumer = new CustomerEventsConsumer({
              kafka: kafkaConnection(config),
              groupId: config.CUSTOMER_EVENTS_GROUP_ID,
              directory,
              logger: structuredLogger(new Logger(CustomerEventsConsumer.name)),
            });
            readiness.register({
              name: 'kafka-customer-events',
              check: () => consumer.readiness.check().ok,
            });
            return consumer;
          },
        },
        PaymentEventRecords,
        PaymentEventsRelay,
        DailySummaryProjection,
        PendingPaymentRecovery,
        PendingRefundRecovery,
        AuthorizationExpiry,
        IdempotencyKeyRetention,
      ],
    };
  }
}
