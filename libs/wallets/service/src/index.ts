export * from './wallets.module';
export * from './wallet-stream';
export * from './ledger/ledger-entry';
