import type {
  CreateCustomerPayload,
  CreatePaymentPayload,
  CreateWebhookEndpointPayload,
  Customer,
  CustomerList,
  DailyReport,
  DailyReportPayload,
  Deleted,
  DeleteWebhookEndpointPayload,
  DeletedWebhookEndpoint,
  GetCustomerPayload,
  GetPaymentEventsPayload,
  GetPaymentPayload,
  GetWebhookEndpointPayload,
  ListCustomersPayload,
  ListPaymentsPayload,
  ListWebhookDeliveriesPayload,
  ListWebhookEndpointsPayload,
  Payment,
  PaymentEventList,
  PaymentList,
  RequestTopics,
  ResendWebhookDeliveryPayload,
  RotateWebhookSecretPayload,
  UpdateCustomerPayload,
  UpdateWebhookEndpointPayload,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookEndpoint,
  WebhookEndpointList,
  WebhookEndpointWithSecret,
} from '@finfusion/contracts';

/** What the gateway sends on each request topic it uses, and what a success reply carries. */
export interface Exchanges {
  [RequestTopics.customers.create]: { payload: CreateCustomerPayload; body: Customer };
  [RequestTopics.customers.get]: { payload: GetCustomerPayload; body: Customer };
  [RequestTopics.customers.list]: { payload: ListCustomersPayload; body: CustomerList };
  [RequestTopics.customers.update]: { payload: UpdateCustomerPayload; body: Customer };
  [RequestTopics.customers.delete]: { payload: GetCustomerPayload; body: Deleted };

  [RequestTopics.payments.create]: { payload: CreatePaymentPayload; body: Payment };
  [RequestTopics.payments.get]: { payload: GetPaymentPayload; body: Payment };
  [RequestTopics.payments.list]: { payload: ListPaymentsPayload; body: PaymentList };
  [RequestTopics.payments.events]: { payload: GetPaymentEventsPayload; body: PaymentEventList };
  [RequestTopics.payments.dailyReport]: { payload: DailyReportPayload; body: DailyReport };

  [RequestTopics.webhooks.create]: {
    payload: CreateWebhookEndpointPayload;
    body: WebhookEndpointWithSecret;
  };
  [RequestTopics.webhooks.get]: { payload: GetWebhookEndpointPayload; body: WebhookEndpoint };
  [RequestTopics.webhooks.list]: {
    payload: ListWebhookEndpointsPayload;
    body: WebhookEndpointList;
  };
  [RequestTopics.webhooks.update]: {
    payload: UpdateWebhookEndpointPayload;
    body: WebhookEndpoint;
  };
  [RequestTopics.webhooks.delete]: {
    payload: DeleteWebhookEndpointPayload;
    body: DeletedWebhookEndpoint;
  };
  [RequestTopics.webhooks.rotateSecret]: {
    payload: RotateWebhookSecretPayload;
    body: WebhookEndpointWithSecret;
  };
  [RequestTopics.webhooks.deliveries]: {
    payload: ListWebhookDeliveriesPayload;
    body: WebhookDeliveryList;
  };
  [RequestTopics.webhooks.resend]: {
    payload: ResendWebhookDeliveryPayload;
    body: WebhookDelivery;
  };
}

export type ExchangeTopic = keyof Exchanges;
