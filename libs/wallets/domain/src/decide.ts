import {
  adjustCredits,
  expireGrant,
  grantCredits,
  refundCredits,
  startAllowancePeriod,
} from './decide/grants';
import { refundPurchase } from './decide/refunds';
import { settleOverage } from './decide/overage';
import { debitUsage } from './decide/debits';
import { requireOpen } from './decide/guards';
import { expireHold, placeHold, releaseHold, settleHold } from './decide/holds';
import { reactionsTo } from './decide/reactions';
import { changePolicy, openWallet, setBudget } from './decide/wallet-setup';
import type { WalletCommand } from './wallet-commands';
import type { WalletEvent } from './wallet-events';
import type { OpenWalletState, WalletState } from './wallet-state';

/**
 * Pure: the events a command causes, or a WalletCommandRejected. A command id seen within the
 * dedupe horizon yields no events, so a redelivered or retried command changes the ledger once.
 */
export function decide(command: WalletCommand, state: WalletState): readonly WalletEvent[] {
  if (command.type === 'OpenWallet') {
    // The same open, repeated, is a repeat; another open of an existing wallet is refused.
    if (state.status === 'open' && state.commands.has(command.commandId)) return [];
    return openWallet(command, state);
  }
  const open = requireOpen(state);
  if (open.commands.has(command.commandId)) return [];
  const events = decideOpen(command, open);
  if (events.length === 0) return events;
  const reactions = reactionsTo(command, open, events);
  return reactions.length === 0 ? events : [...events, ...reactions];
}

function decideOpen(
  command: Exclude<WalletCommand, { type: 'OpenWallet' }>,
  state: OpenWalletState,
): readonly WalletEvent[] {
  switch (command.type) {
    case 'ChangeWalletPolicy':
      return changePolicy(command, state);
    case 'SetBudget':
      return setBudget(command, state);
    case 'GrantCredits':
      return grantCredits(command, state);
    case 'DebitUsage':
      return debitUsage(command, state);
    case 'AdjustCredits':
      return adjustCredits(command, state);
    case 'RefundCredits':
      return refundCredits(command, state);
    case 'RefundPurchase':
      return refundPurchase(command, state);
    case 'SettleOverage':
      return settleOverage(command, state);
    case 'PlaceHold':
      return placeHold(command, state);
    case 'SettleHold':
      return settleHold(command, state);
    case 'ReleaseHold':
      return releaseHold(command, state);
    case 'ExpireHold':
      return expireHold(command, state);
    case 'ExpireGrant':
      return expireGrant(command, state);
    case 'StartAllowancePeriod':
      return startAllowancePeriod(command, state);
    default:
      return assertNever(command);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled wallet command ${JSON.stringify(value)}`);
}
