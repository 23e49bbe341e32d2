import type { ConsumerConfig, StreamConfig } from './message-bus';

/**
 * Every stream, subject and request name that crosses a service boundary, in one place, so the
 * embedded bus, NATS and the README agree. Ids inside subjects are restricted to [A-Za-z0-9_-].
 */
export const SUBJECT_TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Debits are spread over this many partitions by wallet id; each partition has one consumer, and
 * each wallets process consumes the partitions it owns (BURNDOWN_WALLET_PARTITIONS), so a wallet
 * has one writer. Changing it moves wallets between partitions: drain DEBITS first.
 */
export const DEBIT_PARTITIONS = 8;

/** FNV-1a over the id's UTF-16 code units: stable across processes, languages and restarts. */
export function debitPartitionOf(walletId: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < walletId.length; index++) {
    hash ^= walletId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % DEBIT_PARTITIONS;
}

export const subjects = {
  /** ingestion → rating: one accepted usage event. */
  usage: (customerId: string) => `usage.${customerId}`,
  /** rating → wallets: one rated debit; partitioned by wallet so each wallet has one writer. */
  debit: (walletId: string) => `debits.${debitPartitionOf(walletId)}.${walletId}`,
  /** wallets relay → anyone: integration events of a wallet. */
  walletEvent: (kind: WalletIntegrationEventKind, walletId: string) => `wallet.${kind}.${walletId}`,
} as const;

/**
 * One subject per kind of wallet event (`wallet.<kind>.<walletId>`), each message one wallet event
 * with its amounts; `balance-changed` is the summary: where a wallet stands after a group of them.
 */
export const WALLET_EVENT_KINDS = [
  'opened',
  'policy-changed',
  'budget-set',
  'granted',
  'debited',
  'deducted',
  'purchase-refunded',
  'overage-settled',
  'hold-placed',
  'hold-settled',
  'hold-released',
  'hold-expired',
  'grant-expired',
  'top-up-requested',
  'low-balance-alerted',
  'allowance-usage-alerted',
  'depleted',
  'recovered',
] as const;
export type WalletEventKind = (typeof WALLET_EVENT_KINDS)[number];
export type WalletIntegrationEventKind = WalletEventKind | 'balance-changed';

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
    walletEvents: {
      name: 'WALLET_EVENTS',
      subjects: WALLET_EVENT_KINDS.map((kind) => `wallet.${kind}.>`),
      duplicateWindowMs,
    },
    walletBalances: {
      name: 'WALLET_BALANCES',
      subjects: ['wallet.balance-changed.>'],
      duplicateWindowMs,
    },
  }) satisfies Record<string, StreamConfig>;

/**
 * The balance view takes its summaries in a batch per interval: every hand-off between processes
 * wakes both sides, and woken by every group of debits it cost entitlements 71–83 µs of CPU per
 * burned event in the open-loop benchmark, 45–67 µs on this cadence (docs/benchmarks.md,
 * 2026-12-08). Entitlement checks read the view, so it lags the wallets by up to this much more;
 * reservations go to the wallet itself.
 */
export const BALANCE_VIEW_BATCH_INTERVAL_MS = 100;
/**
 * The revenue journal, likewise: 120–133 µs of CPU per burned event in invoicing as each debit
 * came, 54–80 µs in batches (with the balance summaries on a stream of their own).
 */
export const REVENUE_JOURNAL_BATCH_INTERVAL_MS = 250;

const retryPolicy = { ackWaitMs: 30_000, maxDeliver: 10, backoffMs: [100, 1_000, 5_000, 30_000] };

export const consumerConfigs = {
  /** Many usage events in flight, grouped per customer by the rating stream's writer. */
  rating: {
    stream: 'USAGE',
    durableName: 'rating',
    filterSubject: 'usage.>',
    maxInFlight: 1024,
    ...retryPolicy,
  },
  /** One durable per partition; many debits in flight, grouped per wallet by its writer. */
  walletsPartition: (partition: number) => ({
    stream: 'DEBITS',
    durableName: `wallets-p${partition}`,
    filterSubject: `debits.${partition}.>`,
    maxInFlight: 1024,
    ...retryPolicy,
  }),
  /**
   * Every partition in one durable, for a process that owns them all on the embedded bus: one scan
   * and one claim per wake-up instead of one per partition. It takes over where the partition
   * durables had got to.
   */
  walletsAllPartitions: {
    stream: 'DEBITS',
    durableName: 'wallets',
    filterSubject: 'debits.>',
    maxInFlight: 1024 * DEBIT_PARTITIONS,
    takesOverFrom: Array.from(
      { length: DEBIT_PARTITIONS },
      (_, partition) => `wallets-p${partition}`,
    ),
    ...retryPolicy,
  },
  /**
   * Every wallet event: invoicing keeps the revenue journal from them (it skips other kinds), in
   * a batch per REVENUE_JOURNAL_BATCH_INTERVAL_MS; closing a month first has it catch up.
   */
  invoicingRevenue: {
    stream: 'WALLET_EVENTS',
    durableName: 'invoicing-revenue',
    filterSubject: 'wallet.>',
    maxInFlight: 1024,
    batchIntervalMs: REVENUE_JOURNAL_BATCH_INTERVAL_MS,
    ...retryPolicy,
  },
  /** Refunds of paid credits: invoicing issues a credit note for those an invoice sold. */
  invoicingCreditNotes: {
    stream: 'WALLET_EVENTS',
    durableName: 'invoicing-credit-notes',
    filterSubject: 'wallet.purchase-refunded.>',
    maxInFlight: 16,
    ...retryPolicy,
  },
  /** The balance view entitlements answer checks from: a batch per BALANCE_VIEW_BATCH_INTERVAL_MS. */
  entitlementsBalances: {
    stream: 'WALLET_BALANCES',
    durableName: 'entitlements-balances',
    filterSubject: 'wallet.balance-changed.>',
    maxInFlight: 256,
    batchIntervalMs: BALANCE_VIEW_BATCH_INTERVAL_MS,
    ...retryPolicy,
  },
} satisfies Record<string, ConsumerConfig | ((partition: number) => ConsumerConfig)>;
