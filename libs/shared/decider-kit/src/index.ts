export * from './command-log';
export * from './compare';
export * from './transient';
export * from './group-commit';
