import type { ConsumerConfig, StreamConfig } from './message-bus';

/**
 * Every stream, subject and request name that crosses a service boundary, in one place, so the
 * embedded bus, NATS and the README agree. Ids inside subjects are restricted to [A-Za-z0-9_-].
 */
export const SUBJECT_TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const subjects = {
  /** ingestion → rating: one accepted usage event. */
  usage: (customerId: string) => `usage.${customerId}`,
  /** rating → wallets: one rated debit; partitioned by wallet so each wallet has one writer. */
  debit: (walletId: string) => `debits.${walletId}`,
  /** wallets relay → anyone: integration events of a wallet. */
  walletEvent: (kind: WalletIntegrationEventKind, walletId: string) => `wallet.${kind}.${walletId}`,
} as const;

export type WalletIntegrationEventKind = 'opened' | 'balance-changed';

export const requests = {
  /** Does this customer exist? Answered by wallets; asked by ingestion before it accepts usage. */
  customerLookup: 'wallets.customers.lookup',
  /**
   * Any wallet command, for services that reserve or settle credit before spending compute:
   * `{ walletId, command }` with the command in its JSON form; answers `{ ok, … }`.
   */
  walletCommand: 'wallets.commands.execute',
} as const;

export interface BusTopologyOptions {
  /** How long a repeated message id is recognised as a duplicate on the bus. */
  readonly duplicateWindowMs: number;
}

export const streamConfigs = ({ duplicateWindowMs }: BusTopologyOptions) =>
  ({
    usage: { name: 'USAGE', subjects: ['usage.>'], duplicateWindowMs },
    debits: { name: 'DEBITS', subjects: ['debits.>'], duplicateWindowMs },
    walletEvents: { name: 'WALLET_EVENTS', subjects: ['wallet.>'], duplicateWindowMs },
  }) satisfies Record<string, StreamConfig>;

const retryPolicy = { ackWaitMs: 30_000, maxDeliver: 10, backoffMs: [100, 1_000, 5_000, 30_000] };

export const consumerConfigs = {
  rating: { stream: 'USAGE', durableName: 'rating', filterSubject: 'usage.>', ...retryPolicy },
  wallets: { stream: 'DEBITS', durableName: 'wallets', filterSubject: 'debits.>', ...retryPolicy },
  entitlementsBalances: {
    stream: 'WALLET_EVENTS',
    durableName: 'entitlements-balances',
    filterSubject: 'wallet.balance-changed.>',
    ...retryPolicy,
  },
} satisfies Record<string, ConsumerConfig>;
