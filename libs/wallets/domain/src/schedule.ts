import type { WalletCommand } from './wallet-commands';
import { periodEndAfter } from './wallet-policy';
import type { OpenWalletState } from './wallet-state';

/** At most this many commands of one kind per call, so one wallet cannot starve the others. */
const BATCH = 100;

/**
 * The time-driven commands a wallet is due at `now`, in the order they must run: holds time out
 * (their credit goes back first), then grants expire (allowance rolls over), then the next
 * allowance period starts. `revision` (the wallet's stream revision) makes the command ids
 * repeatable for one state, so two schedulers racing on it issue each command once, and unique
 * across states, so a grant closed again later is not mistaken for a repeat.
 */
export function dueCommands(
  state: OpenWalletState,
  now: Date,
  revision: bigint,
): readonly WalletCommand[] {
  const nowMs = now.getTime();
  const commands: WalletCommand[] = [];
  for (const hold of state.holds.values()) {
    if (hold.expiresAt.getTime() <= nowMs && commands.length < BATCH) {
      commands.push({
        type: 'ExpireHold',
        commandId: `expire-hold:${hold.holdId}`,
        at: now,
        holdId: hold.holdId,
      });
    }
  }
  for (const grant of state.grants.overdueForExpiry(nowMs, BATCH)) {
    commands.push({
      type: 'ExpireGrant',
      commandId: `expire-grant:${grant.grantId}@${revision}`,
      at: now,
      grantId: grant.grantId,
    });
  }
  const period = duePeriod(state, now);
  if (period !== undefined) {
    commands.push({
      type: 'StartAllowancePeriod',
      commandId: `allowance:${period.periodId}`,
      at: now,
      periodId: period.periodId,
      amount: period.amount,
      periodEnd: period.end,
    });
  }
  return commands;
}

/** When the wallet next has time-driven work; undefined when nothing is scheduled. */
export function nextDueAt(state: OpenWalletState): Date | undefined {
  let soonest = state.grants.nextExpiryMs() ?? Number.POSITIVE_INFINITY;
  for (const hold of state.holds.values()) soonest = Math.min(soonest, hold.expiresAt.getTime());
  if (state.policy.allowance !== null) {
    soonest = Math.min(soonest, (state.allowancePeriodEnd ?? state.lastEventAt).getTime());
  }
  return Number.isFinite(soonest) ? new Date(soonest) : undefined;
}

/**
 * The allowance period that should be running at `now` and is not: it starts where the last one
 * ended (or now, for the first), skipping whole periods missed while nothing ran, so a late
 * scheduler grants the current period once instead of every missed one.
 */
function duePeriod(
  state: OpenWalletState,
  now: Date,
): { periodId: string; amount: bigint; end: Date } | undefined {
  const plan = state.policy.allowance;
  if (plan === null) return undefined;
  let start = state.allowancePeriodEnd ?? now;
  if (start > now) return undefined;
  let end = periodEndAfter(start, plan.every);
  while (end <= now) {
    start = end;
    end = periodEndAfter(start, plan.every);
  }
  return { periodId: start.toISOString(), amount: plan.amount, end };
}
