export * from './tracing';
export * from './propagation';
export * from './spans';
export { ROOT_CONTEXT, type Context } from '@opentelemetry/api';
