export * from './kafka-options';
export * from './provision';
export * from './publisher';
export * from './consumer-readiness';
export * from './kafka-logger';
export * from './event-consumer';
