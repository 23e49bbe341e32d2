export * from './rating.module';
