export * from './request-context';
export * from './logging';
export * from './database';
export * from './health';
export * from './message-handling';
export * from './bootstrap';
export * from './runtime.module';
export * from './pagination';
