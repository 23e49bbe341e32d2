import { minBigint } from '@burndown/money';
import { drawDown } from '../drawdown';
import type { Hold } from '../hold';
import type { ExpireHold, PlaceHold, ReleaseHold, SettleHold } from '../wallet-commands';
import type { GrantAllocation, WalletEvent } from '../wallet-events';
import { WalletCommandRejected } from '../wallet-rejection';
import type { OpenWalletState } from '../wallet-state';
import { checkBudget, overdraftFor, requirePositive } from './guards';

export function placeHold(command: PlaceHold, state: OpenWalletState): readonly WalletEvent[] {
  requirePositive(command.amount, 'amount', 'a hold');
  if (command.expiresAt <= command.at) {
    throw new WalletCommandRejected(
      'invalid-time',
      'a hold must expire in the future',
      'expiresAt',
    );
  }
  if (state.holds.has(command.holdId) || state.resolvedHolds.has(command.holdId)) {
    throw new WalletCommandRejected(
      'hold-already-exists',
      `hold ${command.holdId} already exists`,
      'holdId',
    );
  }
  const budgetId = command.budgetId ?? null;
  checkBudget(state, budgetId, command.amount);
  const drawdown = drawDown(state.grants, command.feature, command.amount, command.at.getTime());
  const overdraft = overdraftFor(state, command.at, command.amount, drawdown);
  return [
    {
      type: 'CreditsHeld',
      data: {
        commandId: command.commandId,
        at: command.at,
        holdId: command.holdId,
        amount: command.amount,
        feature: command.feature,
        budgetId,
        earmarks: drawdown.allocations,
        overdraft,
        expiresAt: command.expiresAt,
      },
    },
  ];
}

/**
 * Burns what the job used. Below the hold: the earmarks pay in order and the rest goes back.
 * Above it: the earmarks and the hold's overdraft pay first, and the extra is an ordinary debit
 * under the overdraft policy (so `block` may refuse the settlement; the hold then stays active).
 */
export function settleHold(command: SettleHold, state: OpenWalletState): readonly WalletEvent[] {
  const hold = activeHold(state, command.holdId);
  if (command.amount < 0n)
    throw new WalletCommandRejected('invalid-amount', 'a settlement cannot be negative', 'amount');
  const { taken, released } = splitEarmarks(hold.earmarks, command.amount);
  const earmarked = sum(taken);
  const fromHoldOverdraft = minBigint(hold.overdraft, command.amount - earmarked);
  const extra = command.amount - earmarked - fromHoldOverdraft;
  let allocations = taken;
  let overdraft = fromHoldOverdraft;
  if (extra > 0n) {
    checkBudget(state, hold.budgetId, command.amount - hold.amount);
    const drawdown = drawDown(state.grants, hold.feature, extra, command.at.getTime());
    overdraft += overdraftFor(state, command.at, extra, drawdown);
    allocations = merge(taken, drawdown.allocations);
  }
  return [
    {
      type: 'HoldSettled',
      data: {
        commandId: command.commandId,
        at: command.at,
        holdId: hold.holdId,
        amount: command.amount,
        allocations,
        overdraft,
        released,
      },
    },
  ];
}

export function releaseHold(command: ReleaseHold, state: OpenWalletState): readonly WalletEvent[] {
  const hold = activeHold(state, command.holdId);
  return [
    {
      type: 'HoldReleased',
      data: {
        commandId: command.commandId,
        at: command.at,
        holdId: hold.holdId,
        released: hold.earmarks,
      },
    },
  ];
}

export function expireHold(command: ExpireHold, state: OpenWalletState): readonly WalletEvent[] {
  const hold = activeHold(state, command.holdId);
  if (hold.expiresAt > command.at) {
    throw new WalletCommandRejected(
      'hold-not-expired',
      `hold ${hold.holdId} expires at ${hold.expiresAt.toISOString()}`,
      'holdId',
    );
  }
  return [
    {
      type: 'HoldExpired',
      data: {
        commandId: command.commandId,
        at: command.at,
        holdId: hold.holdId,
        released: hold.earmarks,
      },
    },
  ];
}

function activeHold(state: OpenWalletState, holdId: string): Hold {
  const hold = state.holds.get(holdId);
  if (hold !== undefined) return hold;
  const resolution = state.resolvedHolds.get(holdId);
  if (resolution === undefined)
    throw new WalletCommandRejected('hold-not-found', `hold ${holdId} does not exist`, 'holdId');
  // Each hold resolves exactly once: settling, releasing or expiring it again is refused.
  throw new WalletCommandRejected(
    'hold-already-resolved',
    `hold ${holdId} is already ${resolution}`,
    'holdId',
  );
}

/** The first `amount` of the earmarks, in their order, and what is left of them. */
function splitEarmarks(earmarks: readonly GrantAllocation[], amount: bigint) {
  const taken: GrantAllocation[] = [];
  const released: GrantAllocation[] = [];
  let left = amount;
  for (const earmark of earmarks) {
    const used = minBigint(earmark.amount, left);
    left -= used;
    if (used > 0n) taken.push({ grantId: earmark.grantId, amount: used });
    if (earmark.amount > used)
      released.push({ grantId: earmark.grantId, amount: earmark.amount - used });
  }
  return { taken, released };
}

function merge(a: readonly GrantAllocation[], b: readonly GrantAllocation[]): GrantAllocation[] {
  const totals = new Map<string, bigint>();
  for (const { grantId, amount } of [...a, ...b])
    totals.set(grantId, (totals.get(grantId) ?? 0n) + amount);
  return [...totals].map(([grantId, amount]) => ({ grantId, amount }));
}

const sum = (allocations: readonly GrantAllocation[]): bigint =>
  allocations.reduce((total, { amount }) => total + amount, 0n);
