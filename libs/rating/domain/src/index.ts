export * from './fixed-rule';
