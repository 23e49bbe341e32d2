import type { ChangeWalletPolicy, OpenWallet, SetBudget } from '../wallet-commands';
import type { WalletEvent } from '../wallet-events';
import { ALLOWANCE_PERIOD_UNITS, type RolloverPolicy, type WalletPolicy } from '../wallet-policy';
import { WalletCommandRejected } from '../wallet-rejection';
import type { OpenWalletState, WalletState } from '../wallet-state';

export function openWallet(command: OpenWallet, state: WalletState): readonly WalletEvent[] {
  if (state.status === 'open') {
    throw new WalletCommandRejected(
      'wallet-already-open',
      `wallet ${state.walletId} already exists`,
      'id',
    );
  }
  const { commandId, at, walletId, customerId, name } = command;
  return [{ type: 'WalletOpened', data: { commandId, at, walletId, customerId, name } }];
}

export function changePolicy(
  command: ChangeWalletPolicy,
  _state: OpenWalletState,
): readonly WalletEvent[] {
  assertPolicy(command.policy);
  return [
    {
      type: 'WalletPolicyChanged',
      data: { commandId: command.commandId, at: command.at, policy: command.policy },
    },
  ];
}

export function setBudget(command: SetBudget, _state: OpenWalletState): readonly WalletEvent[] {
  if (command.cap < 0n)
    throw new WalletCommandRejected('invalid-amount', 'a budget cap cannot be negative', 'cap');
  const { commandId, at, budgetId, cap } = command;
  return [{ type: 'BudgetSet', data: { commandId, at, budgetId, cap } }];
}

function assertPolicy(policy: WalletPolicy): void {
  const refuse = (field: string, detail: string): never => {
    throw new WalletCommandRejected('invalid-policy', detail, field);
  };
  if (policy.overdraft.mode === 'allow-to-limit' && policy.overdraft.limit < 0n) {
    refuse('overdraft.limit', 'the overdraft limit cannot be negative');
  }
  const topUp = policy.autoTopUp;
  if (topUp !== null) {
    if (topUp.amount <= 0n) refuse('autoTopUp.amount', 'a top-up must be positive');
    if (topUp.threshold < 0n) refuse('autoTopUp.threshold', 'the threshold cannot be negative');
    if (!(topUp.cooldownMs >= 0)) refuse('autoTopUp.cooldownMs', 'the cooldown cannot be negative');
    if (!(Number.isInteger(topUp.maxPerPeriod) && topUp.maxPerPeriod >= 1)) {
      refuse('autoTopUp.maxPerPeriod', 'at least one top-up per period');
    }
    if (!(topUp.periodMs > 0)) refuse('autoTopUp.periodMs', 'the period must be positive');
  }
  if (policy.alerts.balanceThresholds.some((threshold) => threshold < 0n)) {
    refuse('alerts.balanceThresholds', 'thresholds cannot be negative');
  }
  if (
    policy.alerts.allowanceUsedPercents.some(
      (percent) => !(Number.isInteger(percent) && percent > 0 && percent <= 100),
    )
  ) {
    refuse('alerts.allowanceUsedPercents', 'percentages are whole numbers from 1 to 100');
  }
  assertRollover(policy.rollover, 'rollover');
  const allowance = policy.allowance;
  if (allowance !== null) {
    if (allowance.amount <= 0n) refuse('allowance.amount', 'an allowance must be positive');
    if (!ALLOWANCE_PERIOD_UNITS.includes(allowance.every.unit)) {
      refuse(
        'allowance.every.unit',
        `the period unit is one of ${ALLOWANCE_PERIOD_UNITS.join(', ')}`,
      );
    }
    if (!(
      Number.isInteger(allowance.every.count) &&
      allowance.every.count >= 1 &&
      allowance.every.count <= 3_660
    )) {
      refuse('allowance.every.count', 'a whole number of periods from 1 to 3660');
    }
  }
  if (!(policy.dedupeHorizonMs > 0))
    refuse('dedupeHorizonMs', 'the dedupe horizon must be positive');
}

/** Rollover terms, the wallet policy's or an allowance's own, at `field`. */
export function assertRollover(rollover: RolloverPolicy, field: string): void {
  const refuse = (at: string, detail: string): never => {
    throw new WalletCommandRejected('invalid-policy', detail, at);
  };
  if (rollover.mode === 'none') return;
  if (
    rollover.expiresAfterMs !== null &&
    !(Number.isSafeInteger(rollover.expiresAfterMs) && rollover.expiresAfterMs > 0)
  ) {
    refuse(`${field}.expiresAfterMs`, 'a positive whole number of milliseconds');
  }
  if (rollover.mode === 'all') return;
  if ((rollover.capPercentOfAllowance === null) === (rollover.fixedCap === null)) {
    refuse(field, 'a capped rollover needs exactly one of capPercentOfAllowance and fixedCap');
  }
  const percent = rollover.capPercentOfAllowance;
  if (percent !== null && !(Number.isInteger(percent) && percent > 0)) {
    refuse(`${field}.capPercentOfAllowance`, 'a whole, positive percentage');
  }
  if (rollover.fixedCap !== null && rollover.fixedCap < 0n)
    refuse(`${field}.fixedCap`, 'cannot be negative');
}
