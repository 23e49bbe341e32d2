export * from './event-store.contract';
export * from './read-store.contract';
export * from './store-contract-support';
export * from './message-bus.contract';
export * from './integration-event-schemas';
