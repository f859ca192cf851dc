import type {
  CreateCustomerPayload,
  Customer,
  CustomerList,
  Deleted,
  GetCustomerPayload,
  ListCustomersPayload,
  RequestTopics,
  UpdateCustomerPayload,
} from '@finfusion/contracts';

/** What the gateway sends on each request topic it uses, and what a success reply carries. */
export interface Exchanges {
  [RequestTopics.customers.create]: { payload: CreateCustomerPayload; body: Customer };
  [RequestTopics.customers.get]: { payload: GetCustomerPayload; body: Customer };
  [RequestTopics.customers.list]: { payload: ListCustomersPayload; body: CustomerList };
  [RequestTopics.customers.update]: { payload: UpdateCustomerPayload; body: Customer };
  [RequestTopics.customers.delete]: { payload: GetCustomerPayload; body: Deleted };
}

export type ExchangeTopic = keyof Exchanges;
