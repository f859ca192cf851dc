export * from './envelope.schema';
export * from './customer-events.schema';
export * from './validate';
