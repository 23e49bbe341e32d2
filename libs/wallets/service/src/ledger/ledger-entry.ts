import type { JsonObject, ReadModelWrite, RecordedEvent } from '@burndown/ports';
import {
  availableAt,
  balanceOf,
  encodeWalletEvent,
  type GrantAllocation,
  type WalletEvent,
  type WalletState,
} from '@burndown/wallet-domain';

export const LEDGER_COLLECTION = 'wallet_ledger_entries';
export const BALANCE_COLLECTION = 'wallet_balances';

/**
 * Ids sort by global position, so paging by id lists a wallet's entries in the order they
 * happened, and each new entry's key lands at the right edge of the key index, where one commit's
 * entries share pages (by wallet and revision, every entry dirtied a page of its own). The `~`
 * sorts after every character of a wallet id: entries stored earlier as `wallet:revision` still
 * come first.
 */
export const ledgerEntryId = (recorded: RecordedEvent): string =>
  `~${recorded.position.toString().padStart(20, '0')}`;

/** Ledger lines and the balance document one wallet event produces (WalletOpened: balance only). */
export function ledgerWrites(
  walletId: string,
  recorded: RecordedEvent,
  event: WalletEvent,
  state: WalletState,
): readonly ReadModelWrite[] {
  if (state.status !== 'open') return [];
  const balance = balanceOf(state).toString();
  const available = availableAt(state, state.lastEventAt).toString();
  const balanceWrite: ReadModelWrite = {
    collection: BALANCE_COLLECTION,
    id: walletId,
    version: recorded.revision,
    document: {
      walletId,
      customerId: state.customerId,
      balance,
      available,
      revision: recorded.revision.toString(),
      updatedAt: recorded.recordedAt.toISOString(),
    },
  };
  const entry = entryOf(event);
  if (entry === undefined) return [balanceWrite];
  const { data } = encodeWalletEvent(event);
  return [
    {
      collection: LEDGER_COLLECTION,
      id: ledgerEntryId(recorded),
      version: recorded.revision,
      document: {
        walletId,
        revision: recorded.revision.toString(),
        eventId: recorded.eventId,
        eventType: event.type,
        ...data,
        ...entry,
        balanceAfter: balance,
        availableAfter: available,
      },
    },
    balanceWrite,
  ];
}

/** What the line means for the balance; events that move no credit make no line. */
function entryOf(event: WalletEvent): JsonObject | undefined {
  switch (event.type) {
    case 'CreditsGranted':
      return { entryType: 'grant', amount: event.data.amount.toString() };
    case 'UsageDebited':
      return { entryType: 'debit', amount: (-event.data.amount).toString() };
    case 'CreditsDeducted':
      return { entryType: 'deduction', amount: (-event.data.amount).toString() };
    case 'PurchaseRefunded':
      return { entryType: 'purchase-refund', amount: (-event.data.amount).toString() };
    case 'OverageSettled':
      return { entryType: 'overage-settled', amount: event.data.amount.toString() };
    case 'HoldSettled':
      return { entryType: 'hold-settled', amount: (-event.data.amount).toString() };
    case 'GrantExpired':
      return { entryType: 'expiry', amount: (-event.data.amount).toString() };
    case 'CreditsHeld':
      return { entryType: 'hold', amount: '0', held: event.data.amount.toString() };
    case 'HoldReleased':
    case 'HoldExpired':
      return {
        entryType: event.type === 'HoldReleased' ? 'hold-released' : 'hold-expired',
        amount: '0',
        released: total(event.data.released),
      };
    default:
      return undefined;
  }
}

const total = (allocations: readonly GrantAllocation[]): string =>
  allocations.reduce((sum, { amount }) => sum + amount, 0n).toString();
