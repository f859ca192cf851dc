import { paymentBody } from '../support/payments.fixture';

export interface ExampleContext {
  /** A receiver no merchant's own endpoints use, for bodies that name a URL. */
  sinkUrl: string;
  /** Today in UTC, YYYY-MM-DD. */
  today: string;
}

/** The caller's resources by the world's names: an id prefix, or a name `resources` gives. */
export type OwnIds = ReadonlyMap<string, string>;

/**
 * How to call one documented operation with a request that is valid for the caller's own
 * resources. Every operation of the API document needs an entry: the suite fails on one without,
 * so a new route cannot go untested for another merchant's ids.
 */
export interface OperationExample {
  /** Values for the query parameters the operation requires. */
  query?: (context: ExampleContext) => Record<string, string>;
  /** The body for the caller, whose own resources are `ids`. */
  body?: (context: ExampleContext, ids: OwnIds) => unknown;
  /**
   * Path parameters filled with another resource of the world than the one of their prefix's
   * kind: a capture needs a payment that waits for one.
   */
  resources?: Record<string, string>;
  /** Destructive for the caller's own resource: its own-resource check runs last. */
  destroys?: true;
}

/** The world's payments made with capture_method manual, for the actions that need one each. */
export const PAYMENT_TO_CAPTURE = 'pay:to-capture';
export const PAYMENT_TO_CANCEL = 'pay:to-cancel';

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
  capturePayment: {
    body: () => ({ amount_to_capture: 2000 }),
    resources: { id: PAYMENT_TO_CAPTURE },
  },
  cancelPayment: {
    body: () => ({ cancellation_reason: 'requested_by_customer' }),
    resources: { id: PAYMENT_TO_CANCEL },
  },

  createRefund: {
    body: (_context, ids) => ({ payment: ids.get('pay'), amount: 100, reason: 'duplicate' }),
  },
  listRefunds: {},
  getRefund: {},

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
