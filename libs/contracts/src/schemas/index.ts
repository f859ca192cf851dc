export * from './common.schema';
export * from './envelope.schema';
export * from './customer.schema';
export * from './customer-events.schema';
export * from './payment.schema';
export * from './payment-events.schema';
export * from './webhook.schema';
export * from './validate';
