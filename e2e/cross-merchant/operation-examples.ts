import { paymentBody } from '../support/payments.fixture';

export interface ExampleContext {
  /** A receiver no merchant's own endpoints use, for bodies that name a URL. */
  sinkUrl: string;
  /** Today in UTC, YYYY-MM-DD. */
  today: string;
}

/**
 * How to call one documented operation with a request that is valid for the caller's own
 * resources. Every operation of the API document needs an entry: the suite fails on one without,
 * so a new route cannot go untested for another merchant's ids.
 */
export interface OperationExample {
  /** Values for the query parameters the operation requires. */
  query?: (context: ExampleContext) => Record<string, string>;
  body?: (context: ExampleContext) => unknown;
  /** Destructive for the caller's own resource: its own-resource check runs last. */
  destroys?: true;
}

export const operationExamples: Readonly<Record<string, OperationExample>> = {
  CustomersController_create: {
    body: () => ({ email: 'second.customer@example.com', name: 'Second Customer' }),
  },
  CustomersController_list: {},
  CustomersController_get: {},
  CustomersController_update: {
    body: () => ({ name: 'Renamed', metadata: { touched: 'yes' } }),
  },
  CustomersController_delete: { destroys: true },

  PaymentsController_create: { body: () => paymentBody() },
  PaymentsController_list: {},
  PaymentsController_get: {},
  PaymentsController_events: {},
  ReportsController_daily: { query: ({ today }) => ({ from: today, to: today }) },

  WebhooksController_create: {
    body: ({ sinkUrl }) => ({ url: sinkUrl, events: ['customer.deleted'] }),
  },
  WebhooksController_list: {},
  WebhooksController_get: {},
  // Redirecting another merchant's events is the worst an update could do.
  WebhooksController_update: {
    body: ({ sinkUrl }) => ({ url: sinkUrl, events: ['*'], metadata: { touched: 'yes' } }),
  },
  WebhooksController_delete: { destroys: true },
  WebhooksController_rotateSecret: { body: () => ({ overlap_seconds: 0 }) },
  WebhooksController_deliveries: {},
  WebhooksController_resend: {},

  EventsController_list: {},
  EventsController_get: {},
};
