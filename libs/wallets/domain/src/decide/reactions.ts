import { CommandLog } from '@burndown/decider-kit';
import { evolve } from '../evolve';
import type { Grant } from '../grant';
import type { WalletCommand } from '../wallet-commands';
import type { UsageDebited, WalletEvent } from '../wallet-events';
import { availableAt, type OpenWalletState, type WalletState } from '../wallet-state';

/** What reactions need to know about the wallet after the command's own events. */
interface Outcome {
  readonly was: bigint;
  readonly now: bigint;
  readonly raisedAlerts: ReadonlySet<string>;
  readonly allowanceUsed: (grant: Grant) => bigint;
}

/**
 * What the wallet says on its own after a command: alerts when a threshold is crossed (once per
 * crossing) and a top-up request when the auto top-up policy allows one. Compares the wallet
 * before the command's events with the wallet after them, both seen at the command's time.
 */
export function reactionsTo(
  command: WalletCommand,
  before: OpenWalletState,
  events: readonly WalletEvent[],
): WalletEvent[] {
  const outcome = events.every((event) => event.type === 'UsageDebited')
    ? afterDebits(before, command.at, events as readonly UsageDebited[])
    : afterAnything(before, command.at, events);
  const { commandId, at } = command;
  const { was, now, raisedAlerts } = outcome;
  const reactions: WalletEvent[] = [];
  for (const threshold of before.policy.alerts.balanceThresholds) {
    if (now < threshold && !raisedAlerts.has(`below:${threshold}`)) {
      reactions.push({
        type: 'LowBalanceAlerted',
        data: { commandId, at, threshold, available: now },
      });
    }
  }
  if (now <= 0n && was > 0n && !raisedAlerts.has('depleted')) {
    reactions.push({ type: 'WalletDepleted', data: { commandId, at, available: now } });
  }
  if (now > 0n && raisedAlerts.has('depleted')) {
    reactions.push({ type: 'WalletRecovered', data: { commandId, at, available: now } });
  }
  if (before.allowanceGrantIds.length > 0)
    reactions.push(...allowanceAlerts(command, before, outcome));
  const topUp = before.policy.autoTopUp;
  if (topUp !== null && now < topUp.threshold && topUpAllowed(before, at.getTime())) {
    reactions.push({
      type: 'TopUpRequested',
      data: {
        commandId,
        at,
        requestId: `topup:${commandId}`,
        amount: topUp.amount,
        available: now,
      },
    });
  }
  return reactions;
}

/**
 * The hot path: a debit lowers available credit by exactly its amount and touches no alert state,
 * so the outcome follows without folding the events.
 */
function afterDebits(before: OpenWalletState, at: Date, debits: readonly UsageDebited[]): Outcome {
  const was = availableAt(before, at);
  let now = was;
  for (const debit of debits) now -= debit.data.amount;
  return {
    was,
    now,
    raisedAlerts: withoutRecovered(before.raisedAlerts, now),
    // Only asked when the wallet has allowance grants: most debits never build this.
    allowanceUsed: (grant) => {
      let used = usedOf(grant);
      for (const { data } of debits)
        for (const { grantId, amount } of data.allocations)
          if (grantId === grant.grantId) used += amount;
      return used;
    },
  };
}

function afterAnything(before: OpenWalletState, at: Date, events: readonly WalletEvent[]): Outcome {
  // Folded on a scratch command log: the command's own fold appends to the real one afterwards.
  const after = events.reduce<WalletState>(evolve, {
    ...before,
    commands: CommandLog.empty(),
  }) as OpenWalletState;
  // Seen as of the wallet's last event: credit that ran out by expiring (not in force at `at`
  // already) still counts as credit the wallet had, so the expiry that empties it is a depletion.
  const lastSeen = before.lastEventAt < at ? before.lastEventAt : at;
  return {
    was: availableAt(before, lastSeen),
    now: availableAt(after, at),
    raisedAlerts: after.raisedAlerts,
    allowanceUsed: (grant) => usedOf(after.grants.get(grant.grantId) ?? grant),
  };
}

/** Mirrors evolve's re-arming: a low-balance alert is cleared once available is back over it. */
function withoutRecovered(raised: ReadonlySet<string>, available: bigint): ReadonlySet<string> {
  if (raised.size === 0) return raised;
  return new Set(
    [...raised].filter(
      (alert) => !(alert.startsWith('below:') && available >= BigInt(alert.slice('below:'.length))),
    ),
  );
}

const usedOf = (grant: Grant): bigint => grant.amount - grant.remaining - grant.held;

function allowanceAlerts(
  command: WalletCommand,
  before: OpenWalletState,
  outcome: Outcome,
): WalletEvent[] {
  const percents = before.policy.alerts.allowanceUsedPercents;
  if (percents.length === 0 || before.allowanceGrantIds.length === 0) return [];
  const alerts: WalletEvent[] = [];
  const atMs = command.at.getTime();
  for (const grantId of before.allowanceGrantIds) {
    const grant = before.grants.get(grantId);
    if (grant === undefined || grant.effectiveAt.getTime() > atMs) continue;
    if (grant.expiresAt !== null && grant.expiresAt.getTime() <= atMs) continue;
    const used = outcome.allowanceUsed(grant);
    for (const percent of percents) {
      if (
        used * 100n >= grant.amount * BigInt(percent) &&
        !outcome.raisedAlerts.has(`allowance:${grant.grantId}:${percent}`)
      ) {
        alerts.push({
          type: 'AllowanceUsageAlerted',
          data: {
            commandId: command.commandId,
            at: command.at,
            grantId: grant.grantId,
            percent,
            used,
            allowance: grant.amount,
          },
        });
      }
    }
  }
  return alerts;
}

function topUpAllowed(state: OpenWalletState, atMs: number): boolean {
  const policy = state.policy.autoTopUp;
  if (policy === null) return false;
  const { lastRequestedAtMs, periodStartMs, requestsInPeriod } = state.topUps;
  if (lastRequestedAtMs !== null && atMs - lastRequestedAtMs < policy.cooldownMs) return false;
  const inSamePeriod = atMs - periodStartMs < policy.periodMs;
  return !inSamePeriod || requestsInPeriod < policy.maxPerPeriod;
}
