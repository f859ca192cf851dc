export * from './event-store';
export * from './schema';
export * from './subscription';
