export * from './embedded-database';
export * from './pglite-event-store';
export * from './pglite-read-store';
export * from './embedded-bus';
