import type { WalletCommand } from '../wallet-commands';
import type { WalletEvent } from '../wallet-events';
import { availableAt, type OpenWalletState } from '../wallet-state';

/**
 * What the wallet says on its own after a command: alerts when a threshold is crossed (once per
 * crossing) and a top-up request when the auto top-up policy allows one. Compares the state
 * before the command's events with the state after them, both seen at the command's time.
 */
export function reactionsTo(command: WalletCommand, before: OpenWalletState, after: OpenWalletState): WalletEvent[] {
  const { commandId, at } = command;
  const was = availableAt(before, at);
  const now = availableAt(after, at);
  const events: WalletEvent[] = [];
  for (const threshold of after.policy.alerts.balanceThresholds) {
    if (now < threshold && !after.raisedAlerts.has(`below:${threshold}`)) {
      events.push({ type: 'LowBalanceAlerted', data: { commandId, at, threshold, available: now } });
    }
  }
  if (now <= 0n && was > 0n && !after.raisedAlerts.has('depleted')) {
    events.push({ type: 'WalletDepleted', data: { commandId, at, available: now } });
  }
  if (now > 0n && after.raisedAlerts.has('depleted')) {
    events.push({ type: 'WalletRecovered', data: { commandId, at, available: now } });
  }
  events.push(...allowanceAlerts(command, after));
  const topUp = after.policy.autoTopUp;
  if (topUp !== null && now < topUp.threshold && topUpAllowed(after, at.getTime())) {
    events.push({ type: 'TopUpRequested', data: { commandId, at, requestId: `topup:${commandId}`, amount: topUp.amount, available: now } });
  }
  return events;
}

function allowanceAlerts(command: WalletCommand, state: OpenWalletState): WalletEvent[] {
  const percents = state.policy.alerts.allowanceUsedPercents;
  if (percents.length === 0) return [];
  const events: WalletEvent[] = [];
  const atMs = command.at.getTime();
  for (const grantId of state.allowanceGrantIds) {
    const grant = state.grants.get(grantId);
    if (grant === undefined || grant.effectiveAt.getTime() > atMs) continue;
    if (grant.expiresAt !== null && grant.expiresAt.getTime() <= atMs) continue;
    const used = grant.amount - grant.remaining - grant.held;
    for (const percent of percents) {
      if (used * 100n >= grant.amount * BigInt(percent) && !state.raisedAlerts.has(`allowance:${grant.grantId}:${percent}`)) {
        events.push({
          type: 'AllowanceUsageAlerted',
          data: { commandId: command.commandId, at: command.at, grantId: grant.grantId, percent, used, allowance: grant.amount },
        });
      }
    }
  }
  return events;
}

function topUpAllowed(state: OpenWalletState, atMs: number): boolean {
  const policy = state.policy.autoTopUp;
  if (policy === null) return false;
  const { lastRequestedAtMs, periodStartMs, requestsInPeriod } = state.topUps;
  if (lastRequestedAtMs !== null && atMs - lastRequestedAtMs < policy.cooldownMs) return false;
  const inSamePeriod = atMs - periodStartMs < policy.periodMs;
  return !inSamePeriod || requestsInPeriod < policy.maxPerPeriod;
}
