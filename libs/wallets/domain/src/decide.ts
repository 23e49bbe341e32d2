import { drawDown } from './drawdown';
import type { DebitUsage, GrantCredits, OpenWallet, WalletCommand } from './wallet-commands';
import type { WalletEvent } from './wallet-events';
import { WalletCommandRejected } from './wallet-rejection';
import type { OpenWalletState, WalletState } from './wallet-state';

/**
 * Pure: the events a command causes, or a rejection. A command id seen before yields no events,
 * so a redelivered or retried command changes the ledger once.
 */
export function decide(command: WalletCommand, state: WalletState): readonly WalletEvent[] {
  if (state.status === 'open' && state.processedCommandIds.has(command.commandId)) return [];
  switch (command.type) {
    case 'OpenWallet':
      return openWallet(command, state);
    case 'GrantCredits':
      return grantCredits(command, requireOpen(state));
    case 'DebitUsage':
      return debitUsage(command, requireOpen(state));
    default:
      return assertNever(command);
  }
}

function openWallet(command: OpenWallet, state: WalletState): readonly WalletEvent[] {
  if (state.status === 'open') {
    throw new WalletCommandRejected(
      'wallet-already-open',
      `wallet ${state.walletId} already exists`,
      'id',
    );
  }
  return [
    {
      type: 'WalletOpened',
      data: {
        commandId: command.commandId,
        walletId: command.walletId,
        customerId: command.customerId,
        name: command.name,
        openedAt: command.at,
      },
    },
  ];
}

function grantCredits(command: GrantCredits, state: OpenWalletState): readonly WalletEvent[] {
  if (command.amount <= 0n) {
    throw new WalletCommandRejected('invalid-amount', 'a grant must be positive', 'amount');
  }
  if (state.grants.some((grant) => grant.grantId === command.grantId)) {
    throw new WalletCommandRejected(
      'grant-already-exists',
      `grant ${command.grantId} already exists in wallet ${state.walletId}`,
      'grantId',
    );
  }
  return [
    {
      type: 'CreditsGranted',
      data: {
        commandId: command.commandId,
        grantId: command.grantId,
        kind: command.kind,
        amount: command.amount,
        grantedAt: command.at,
      },
    },
  ];
}

function debitUsage(command: DebitUsage, state: OpenWalletState): readonly WalletEvent[] {
  if (command.amount < 0n) {
    throw new WalletCommandRejected('invalid-amount', 'a debit cannot be negative', 'amount');
  }
  const { allocations, unpaid } = drawDown(state.grants, command.amount);
  return [
    {
      type: 'UsageDebited',
      data: {
        commandId: command.commandId,
        usageEventId: command.usageEventId,
        usageType: command.usageType,
        amount: command.amount,
        allocations,
        unpaid,
        debitedAt: command.at,
      },
    },
  ];
}

function requireOpen(state: WalletState): OpenWalletState {
  if (state.status !== 'open') {
    throw new WalletCommandRejected('wallet-not-open', 'the wallet does not exist', 'walletId');
  }
  return state;
}

function assertNever(value: never): never {
  throw new Error(`unhandled command ${JSON.stringify(value)}`);
}
