export * from './embedded-bus';
