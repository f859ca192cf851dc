// What travels on each request topic: the payload a sender puts in its ServiceRequest, and the
// body of a success reply. Both sides type a topic's messages from this one map.
import type {
  CreateCustomerPayload,
  Customer,
  CustomerList,
  CustomerStanding,
  GetCustomerPayload,
  ListCustomersPayload,
  LookupCustomerPayload,
  UpdateCustomerPayload,
} from './customers';
import type { EventList, GetEventPayload, ListEventsPayload, PublicEvent } from './events';
import type { Deleted, ServiceRequest } from './messages';
import type {
  CancelPaymentPayload,
  CapturePaymentPayload,
  CreatePaymentPayload,
  DailyReport,
  DailyReportPayload,
  GetPaymentEventsPayload,
  GetPaymentPayload,
  ListPaymentsPayload,
  Payment,
  PaymentEventList,
  PaymentList,
} from './payments';
import type {
  CreateRefundPayload,
  GetRefundPayload,
  ListRefundsPayload,
  Refund,
  RefundList,
} from './refunds';
import type { RequestTopic } from './topics';
import type {
  CreateWebhookEndpointPayload,
  DeletedWebhookEndpoint,
  DeleteWebhookEndpointPayload,
  GetWebhookEndpointPayload,
  ListWebhookDeliveriesPayload,
  ListWebhookEndpointsPayload,
  ResendWebhookDeliveryPayload,
  RotateWebhookSecretPayload,
  UpdateWebhookEndpointPayload,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookEndpoint,
  WebhookEndpointList,
  WebhookEndpointWithSecret,
} from './webhooks';

/** `[request payload, success reply body]` of each request topic. */
interface ExchangeTable {
  'customers.create': [CreateCustomerPayload, Customer];
  'customers.get': [GetCustomerPayload, Customer];
  'customers.list': [ListCustomersPayload, CustomerList];
  'customers.update': [UpdateCustomerPayload, Customer];
  'customers.delete': [GetCustomerPayload, Deleted];
  'customers.lookup': [LookupCustomerPayload, CustomerStanding];
  'payments.create': [CreatePaymentPayload, Payment];
  'payments.get': [GetPaymentPayload, Payment];
  'payments.list': [ListPaymentsPayload, PaymentList];
  'payments.events': [GetPaymentEventsPayload, PaymentEventList];
  'payments.report-daily': [DailyReportPayload, DailyReport];
  'payments.capture': [CapturePaymentPayload, Payment];
  'payments.cancel': [CancelPaymentPayload, Payment];
  'refunds.create': [CreateRefundPayload, Refund];
  'refunds.get': [GetRefundPayload, Refund];
  'refunds.list': [ListRefundsPayload, RefundList];
  'webhooks.create': [CreateWebhookEndpointPayload, WebhookEndpointWithSecret];
  'webhooks.get': [GetWebhookEndpointPayload, WebhookEndpoint];
  'webhooks.list': [ListWebhookEndpointsPayload, WebhookEndpointList];
  'webhooks.update': [UpdateWebhookEndpointPayload, WebhookEndpoint];
  'webhooks.delete': [DeleteWebhookEndpointPayload, DeletedWebhookEndpoint];
  'webhooks.rotate-secret': [RotateWebhookSecretPayload, WebhookEndpointWithSecret];
  'webhooks.deliveries': [ListWebhookDeliveriesPayload, WebhookDeliveryList];
  'webhooks.resend': [ResendWebhookDeliveryPayload, WebhookDelivery];
  'events.list': [ListEventsPayload, EventList];
  'events.get': [GetEventPayload, PublicEvent];
}

// Indexed by every RequestTopic: a topic added there without an entry here does not compile.

/** The payload sent on topic T. */
export type RequestOf<T extends RequestTopic> = ExchangeTable[T][0];

/** The body of a success reply on topic T (an error reply is an ErrorReply on every topic). */
export type ReplyOf<T extends RequestTopic> = ExchangeTable[T][1];

/** A request on topic T as its handler receives it: the payload and the request's metadata. */
export type TopicRequest<T extends RequestTopic> = ServiceRequest<RequestOf<T>>;
