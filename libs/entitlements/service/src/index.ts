export * from './entitlements.module';
