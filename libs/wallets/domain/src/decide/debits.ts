import { drawDown } from '../drawdown';
import type { DebitUsage } from '../wallet-commands';
import type { WalletEvent } from '../wallet-events';
import { WalletCommandRejected } from '../wallet-rejection';
import type { OpenWalletState } from '../wallet-state';
import { bookedShortfall, checkBudget, overdraftFor } from './guards';

export function debitUsage(command: DebitUsage, state: OpenWalletState): readonly WalletEvent[] {
  if (command.amount < 0n)
    throw new WalletCommandRejected('invalid-amount', 'a debit cannot be negative', 'amount');
  const budgetId = command.budgetId ?? null;
  checkBudget(state, budgetId, command.amount);
  const drawdown = drawDown(state.grants, command.feature, command.amount, command.at.getTime());
  const { overdraft, uncovered } = command.alreadyHappened
    ? bookedShortfall(state, drawdown)
    : { overdraft: overdraftFor(state, command.at, command.amount, drawdown), uncovered: 0n };
  return [
    {
      type: 'UsageDebited',
      data: {
        commandId: command.commandId,
        at: command.at,
        usageEventId: command.usageEventId,
        feature: command.feature,
        amount: command.amount,
        allocations: drawdown.allocations,
        overdraft,
        uncovered,
        budgetId,
        usageOccurredAt: command.occurredAt ?? null,
      },
    },
  ];
}
