export * from './embedded-database';
export * from './sqlite-event-store';
export * from './sqlite-read-store';
export * from './embedded-bus';
