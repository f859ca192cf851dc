import {
  cardTransitKey,
  sealCardSecrets,
  type CreatePaymentPayload,
  type PaymentMethodDetails,
  type ServiceRequest,
} from '@finfusion/contracts';
import { CardTransit } from '../payments/create-payment/card-transit';
import { type Acquirer } from '../payments/acquirer/acquirer';
import { postgresLedgers } from '../payments/acquirer/test-acquirer.ledger';
import { TestAcquirer } from '../payments/acquirer/test-acquirer';
import { CancelPaymentHandler } from '../payments/cancel-payment/cancel-payment.handler';
import { CapturePaymentHandler } from '../payments/capture-payment/capture-payment.handler';
import { CardFingerprints } from '../payments/card-fingerprints';
import { CreateIdempotency } from '../payments/create-payment/create-idempotency';
import { CreatePaymentHandler } from '../payments/create-payment/create-payment.handler';
import { CreatePaymentInput } from '../payments/create-payment/create-payment.input';
import { IdempotencyKeys } from '../payments/create-payment/idempotency-keys';
import { CreateRefundHandler } from '../payments/create-refund/create-refund.handler';
import { RefundIds } from '../payments/create-refund/refund-ids';
import { RefundOutcomes } from '../payments/create-refund/refund-outcomes';
import {
  CustomerDirectory,
  type CustomerFact,
} from '../payments/customer-directory/customer-directory';
import {
  CustomerLookup,
  CustomersUnavailable,
} from '../payments/customer-directory/customer-lookup';
import { GetPaymentEventsHandler } from '../payments/get-payment-events/get-payment-events.handler';
import { GetRefundHandler } from '../payments/get-refund/get-refund.handler';
import { ListRefundsHandler } from '../payments/list-refunds/list-refunds.handler';
import { GetPaymentHandler } from '../payments/get-payment/get-payment.handler';
import { ListPaymentsHandler } from '../payments/list-payments/list-payments.handler';
import { PaymentStore } from '../payments/payment.store';
import { DailyReportHandler } from '../payments/projections/daily-summary/daily-report.handler';
import { PaymentReadModel } from '../payments/projections/payment-read-model/payment-read-model';
import type { TestDatabase } from './database.fixture';
import { Clock } from '@finfusion/runtime';

/** A clock the test moves. */
export class TestClock extends Clock {
  constructor(public current: Date = new Date()) {
    super();
  }

  override now(): Date {
    return new Date(this.current);
  }
}

/**
 * Stands in for the customers service's customers.lookup (the e2e tests ask the real one):
 * it knows the customers a test gives it, and can be made unreachable.
 */
export class CustomersStandIn extends CustomerLookup {
  readonly known = new Map<string, CustomerFact>();
  readonly asked: string[] = [];
  reachable = true;

  lookup(customerId: string): Promise<CustomerFact | null> {
    this.asked.push(customerId);
    if (!this.reachable) return Promise.reject(new CustomersUnavailable('unreachable'));
    return Promise.resolve(this.known.get(customerId) ?? null);
  }
}

/** The service's handlers wired by hand over a test database, as Nest wires them. */
export function paymentsService(
  db: TestDatabase,
  options: { acquirer?: Acquirer; clock?: Clock } = {},
) {
  const readModel = new PaymentReadModel();
  const payments = new PaymentStore(db.dataSource, db.store, readModel);
  const customersService = new CustomersStandIn();
  const customers = new CustomerDirectory(db.dataSource, customersService);
  const acquirer = options.acquirer ?? new TestAcquirer(postgresLedgers(db.dataSource));
  const clock = options.clock ?? new Clock();
  const keys = new IdempotencyKeys(db.dataSource);
  const handler = new CreatePaymentHandler(
    new CreatePaymentInput(new CardTransit(db.config), new CardFingerprints(db.config)),
    payments,
    new CreateIdempotency(keys, payments),
    customers,
    acquirer,
    clock,
    db.config,
  );
  const refundOutcomes = new RefundOutcomes(payments, acquirer, clock);
  const transitKey = cardTransitKey(db.config.CARD_TRANSIT_KEY);
  return {
    readModel,
    payments,
    customers,
    customersService,
    // Tests send the card as merchants do; it is sealed here as the gateway seals it.
    create: {
      handle: (request: ServiceRequest<unknown>) =>
        handler.handle({ ...request, payload: sealAsGateway(request, transitKey) }),
    },
    get: new GetPaymentHandler(db.dataSource, readModel),
    list: new ListPaymentsHandler(db.dataSource, readModel),
    events: new GetPaymentEventsHandler(db.dataSource, db.store),
    dailyReport: new DailyReportHandler(db.dataSource),
    capture: new CapturePaymentHandler(payments, acquirer, clock),
    cancel: new CancelPaymentHandler(payments, acquirer, clock),
    refundOutcomes,
    createRefund: new CreateRefundHandler(
      payments,
      keys,
      new RefundIds(db.config),
      refundOutcomes,
      clock,
    ),
    getRefund: new GetRefundHandler(db.dataSource, readModel),
    listRefunds: new ListRefundsHandler(db.dataSource, readModel),
  };
}

/** Seals a plain card's string number and CVC; anything else is passed on as it is. */
export function sealAsGateway({ meta, payload }: ServiceRequest<unknown>, key: Buffer): unknown {
  const body = payload as { payment_method?: { card?: Record<string, unknown> } } | null;
  const card = body?.payment_method?.card;
  if (typeof card !== 'object' || typeof card.number !== 'string' || typeof card.cvc !== 'string') {
    return payload;
  }
  const { number, cvc, ...clear } = card;
  const sealed = sealCardSecrets({ number, cvc }, key, meta.merchantId);
  return { ...body, payment_method: { ...body?.payment_method, card: { ...clear, sealed } } };
}

type PlainCreatePayment = Omit<CreatePaymentPayload, 'payment_method'> & {
  payment_method: PaymentMethodDetails;
};

export const createPayload = (
  overrides: Partial<PlainCreatePayment> & { number?: string; cvc?: string } = {},
): PlainCreatePayment => {
  const { number = '4242424242424242', cvc = '123', ...rest } = overrides;
  return {
    amount: { value: 1000, currency: 'USD' },
    payment_method: { type: 'card', card: { number, exp_month: 12, exp_year: 2030, cvc } },
    metadata: { order_id: 'order_123' },
    ...rest,
  };
};
