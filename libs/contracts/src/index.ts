export * from './topics';
export * from './ids';
export * from './messages';
export * from './metadata';
export * from './customers';
export * from './events';
export * from './schemas';
