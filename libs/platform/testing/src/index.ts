export * from './eventually';
export * from './api-client';
export * from './burndown-process';
export * from './bus-under-test';
export * from './external-service';
export * from './fake-stripe';
export * from './test-clock';
