export * from './amount';
export * from './decimal';
