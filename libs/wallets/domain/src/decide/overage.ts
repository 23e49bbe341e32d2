import type { SettleOverage } from '../wallet-commands';
import { OVERAGE_SETTLEMENT_OUTCOMES } from '../wallet-commands';
import type { WalletEvent } from '../wallet-events';
import { WalletCommandRejected } from '../wallet-rejection';
import type { OpenWalletState } from '../wallet-state';
import { requirePositive } from './guards';

/**
 * Owed overage leaves the wallet once it is billed or forgiven: never more than is owed, so a
 * settlement cannot turn into free credit.
 */
export function settleOverage(
  command: SettleOverage,
  state: OpenWalletState,
): readonly WalletEvent[] {
  requirePositive(command.amount, 'amount', 'a settlement');
  if (!OVERAGE_SETTLEMENT_OUTCOMES.includes(command.outcome)) {
    throw new WalletCommandRejected(
      'invalid-amount',
      `outcome must be one of ${OVERAGE_SETTLEMENT_OUTCOMES.join(', ')}`,
      'outcome',
    );
  }
  if (command.amount > state.overage) {
    throw new WalletCommandRejected(
      'invalid-amount',
      `${state.overage} micro-credits are owed as overage; ${command.amount} cannot be settled`,
      'amount',
    );
  }
  return [
    {
      type: 'OverageSettled',
      data: {
        commandId: command.commandId,
        at: command.at,
        settlementId: command.settlementId,
        amount: command.amount,
        outcome: command.outcome,
        reference: command.reference,
      },
    },
  ];
}
