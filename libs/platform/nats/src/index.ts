export * from './nats-bus';
