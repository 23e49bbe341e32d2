import { maxBigint } from '@burndown/money';
import type { Drawdown } from '../drawdown';
import type { OverdraftPolicy } from '../wallet-policy';
import { WalletCommandRejected } from '../wallet-rejection';
import { availableAt, type OpenWalletState, type WalletState } from '../wallet-state';

export function requireOpen(state: WalletState): OpenWalletState {
  if (state.status !== 'open') {
    throw new WalletCommandRejected('wallet-not-open', 'the wallet does not exist', 'walletId');
  }
  return state;
}

export function requirePositive(amount: bigint, field: string, what: string): void {
  if (amount <= 0n)
    throw new WalletCommandRejected('invalid-amount', `${what} must be positive`, field);
}

/**
 * Applies the overdraft policy to a movement of `amount` whose drawdown came up `shortfall` short.
 * Returns the overdraft to record (zero under `block`, which refuses instead).
 */
export function overdraftFor(
  state: OpenWalletState,
  at: Date,
  amount: bigint,
  drawdown: Drawdown,
  policy: OverdraftPolicy = state.policy.overdraft,
): bigint {
  const available = availableAt(state, at);
  if (policy.mode === 'block') {
    if (drawdown.shortfall > 0n || available < amount) {
      throw new WalletCommandRejected(
        'insufficient-credits',
        `needs ${amount} micro-credits; ${available < 0n ? 0n : available} available${drawdown.shortfall > 0n ? ` and ${drawdown.shortfall} not covered by grants in scope` : ''}`,
        'amount',
      );
    }
    return 0n;
  }
  if (available - amount < -policy.limit) {
    throw new WalletCommandRejected(
      'insufficient-credits',
      `needs ${amount} micro-credits; ${available} available with an overdraft limit of ${policy.limit}`,
      'amount',
    );
  }
  // The shortfall is owed as overage even when grants of other scopes keep the balance positive:
  // with what is owed already and what holds promised as overdraft, it stays within the limit.
  const beyondGrants = state.overage + state.holdOverdraftTotal;
  if (drawdown.shortfall > 0n && beyondGrants + drawdown.shortfall > policy.limit) {
    throw new WalletCommandRejected(
      'insufficient-credits',
      `needs ${drawdown.shortfall} micro-credits beyond the grants in scope; ${beyondGrants} of the overdraft limit of ${policy.limit} is used`,
      'amount',
    );
  }
  return drawdown.shortfall;
}

/**
 * What usage that already happened books when its drawdown came up `shortfall` short: all of the
 * shortfall as overage, and the part the overdraft policy does not allow (all of it under `block`,
 * what goes past the limit under `allow-to-limit`) marked uncovered. Nothing is refused: the
 * compute was spent, and refusing would leave the usage billed nowhere.
 */
export function bookedShortfall(
  state: OpenWalletState,
  drawdown: Drawdown,
): { readonly overdraft: bigint; readonly uncovered: bigint } {
  const policy = state.policy.overdraft;
  const allowed =
    policy.mode === 'block'
      ? 0n
      : maxBigint(0n, policy.limit - state.overage - state.holdOverdraftTotal);
  return { overdraft: drawdown.shortfall, uncovered: maxBigint(0n, drawdown.shortfall - allowed) };
}

/** A sub-budget's cap holds for debits and holds alike. */
export function checkBudget(state: OpenWalletState, budgetId: string | null, extra: bigint): void {
  if (budgetId === null || extra <= 0n) return;
  const budget = state.budgets.get(budgetId);
  if (budget === undefined) {
    throw new WalletCommandRejected(
      'budget-not-found',
      `budget ${budgetId} does not exist`,
      'budgetId',
    );
  }
  if (budget.used + extra > budget.cap) {
    throw new WalletCommandRejected(
      'budget-exceeded',
      `budget ${budgetId} has ${budget.cap - budget.used} of ${budget.cap} left; needs ${extra}`,
      'budgetId',
    );
  }
}
