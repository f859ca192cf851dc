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
  createCustomer: {
    body: () => ({ email: 'second.customer@example.com', name: 'Second Customer' }),
  },
  listCustomers: {},
  getCustomer: {},
  updateCustomer: {
    body: () => ({ name: 'Renamed', metadata: { touched: 'yes' } }),
  },
  deleteCustomer: { destroys: true },

  createPayment: { body: () => paymentBody() },
  listPayments: {},
  getPayment: {},
  listPaymentEvents: {},
  getDailyReport: { query: ({ today }) => ({ from: today, to: today }) },

  createWebhookEndpoint: {
    body: ({ sinkUrl }) => ({ url: sinkUrl, events: ['customer.deleted'] }),
  },
  listWebhookEndpoints: {},
  getWebhookEndpoint: {},
  // Redirecting another merchant's events is the worst an update could do.
  updateWebhookEndpoint: {
    body: ({ sinkUrl }) => ({ url: sinkUrl, events: ['*'], metadata: { touched: 'yes' } }),
  },
  deleteWebhookEndpoint: { destroys: true },
  rotateWebhookEndpointSecret: { body: () => ({ overlap_seconds: 0 }) },
  listWebhookDeliveries: {},
  resendWebhookDelivery: {},

  listEvents: {},
  getEvent: {},
};
