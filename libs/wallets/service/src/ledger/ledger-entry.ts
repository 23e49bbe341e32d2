import type { JsonObject, ReadModelWrite, RecordedEvent } from '@burndown/ports';
import { balanceOf, type WalletEvent, type WalletState } from '@burndown/wallet-domain';

export const LEDGER_COLLECTION = 'wallet_ledger_entries';
export const BALANCE_COLLECTION = 'wallet_balances';

/** Ids sort by revision, so paging by id lists a wallet's entries in the order they happened. */
export const ledgerEntryId = (walletId: string, revision: bigint): string =>
  `${walletId}:${revision.toString().padStart(20, '0')}`;

/** Ledger lines and the balance document one wallet event produces (WalletOpened: balance only). */
export function ledgerWrites(
  walletId: string,
  recorded: RecordedEvent,
  event: WalletEvent,
  state: WalletState,
): readonly ReadModelWrite[] {
  if (state.status !== 'open') return [];
  const balance = balanceOf(state).toString();
  const balanceWrite: ReadModelWrite = {
    collection: BALANCE_COLLECTION,
    id: walletId,
    version: recorded.revision,
    document: {
      walletId,
      customerId: state.customerId,
      balance,
      revision: recorded.revision.toString(),
      updatedAt: recorded.recordedAt.toISOString(),
    },
  };
  const entry = entryOf(event);
  if (entry === undefined) return [balanceWrite];
  return [
    {
      collection: LEDGER_COLLECTION,
      id: ledgerEntryId(walletId, recorded.revision),
      version: recorded.revision,
      document: {
        walletId,
        revision: recorded.revision.toString(),
        eventId: recorded.eventId,
        ...entry,
        balanceAfter: balance,
      },
    },
    balanceWrite,
  ];
}

function entryOf(event: WalletEvent): JsonObject | undefined {
  switch (event.type) {
    case 'WalletOpened':
      return undefined;
    case 'CreditsGranted':
      return {
        entryType: 'grant',
        amount: event.data.amount.toString(),
        grantId: event.data.grantId,
        grantKind: event.data.kind,
        at: event.data.grantedAt.toISOString(),
      };
    case 'UsageDebited':
      return {
        entryType: 'debit',
        amount: (-event.data.amount).toString(),
        usageEventId: event.data.usageEventId,
        usageType: event.data.usageType,
        allocations: event.data.allocations.map((a) => ({ grantId: a.grantId, amount: a.amount.toString() })),
        unpaid: event.data.unpaid.toString(),
        at: event.data.debitedAt.toISOString(),
      };
  }
}
