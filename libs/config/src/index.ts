export * from './load-config';
export * from './numbers';
export * from './kafka-security';
export * from './service.config';
export * from './request-reply.config';
export * from './relay-service.config';
export * from './secrets';
export * from './key-ring';
