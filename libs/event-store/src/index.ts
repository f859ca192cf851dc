export * from './event-store';
export * from './notifications';
export * from './relay';
export * from './schema';
export * from './subscription';
