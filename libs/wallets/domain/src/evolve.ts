import { adopt, editable, inBatch, ownedByBatch } from '@burndown/decider-kit';
import type { Grant } from './grant';
import type { GrantBook } from './grant-book';
import type { GrantAllocation, WalletEvent } from './wallet-events';
import {
  availableAt,
  openState,
  type Budget,
  type HoldResolution,
  type OpenWalletState,
  type WalletState,
} from './wallet-state';

/** Pure: the state after one more event. Never refuses: events are facts. */
export function evolve(state: WalletState, event: WalletEvent): WalletState {
  if (event.type === 'WalletOpened') {
    const opened = openState(event.data, event.data.at);
    return {
      ...opened,
      commands: opened.commands.record(
        event.data.commandId,
        event.data.at.getTime(),
        opened.policy.dedupeHorizonMs,
      ),
    };
  }
  if (state.status !== 'open')
    throw new Error(`corrupt wallet stream: ${event.type} before WalletOpened`);
  const changes = apply(state, event);
  const at = event.data.at;
  const commands = state.commands.record(
    event.data.commandId,
    at.getTime(),
    (changes.policy ?? state.policy).dedupeHorizonMs,
  );
  const lastEventAt = at > state.lastEventAt ? at : state.lastEventAt;
  let next: OpenWalletState;
  if (ownedByBatch(state)) {
    // Only the batch's final state is ever seen: its intermediate states are edited in place.
    next = Object.assign(state as Changes, changes, { commands, lastEventAt }) as OpenWalletState;
  } else {
    next = { ...state, ...changes, commands, lastEventAt };
    adopt(next);
  }
  return next.raisedAlerts.size === 0 ? next : rearmAlerts(next, at);
}

type Changes = { -readonly [Field in keyof OpenWalletState]?: OpenWalletState[Field] };

/** What an event changes in the wallet; evolve applies it. */
function apply(
  state: OpenWalletState,
  event: Exclude<WalletEvent, { type: 'WalletOpened' }>,
): Changes {
  switch (event.type) {
    case 'WalletPolicyChanged':
      return { policy: event.data.policy };
    case 'BudgetSet': {
      const used = state.budgets.get(event.data.budgetId)?.used ?? 0n;
      return {
        budgets: withBudget(state.budgets, {
          budgetId: event.data.budgetId,
          cap: event.data.cap,
          used,
        }),
      };
    }
    case 'CreditsGranted': {
      const { commandId: _commandId, at, ...grant } = event.data;
      const added: Grant = {
        ...grant,
        remaining: grant.amount,
        held: 0n,
        grantedAt: at,
        sequence: state.nextGrantSequence,
      };
      return {
        grants: state.grants.put(added),
        nextGrantSequence: state.nextGrantSequence + 1,
        allowanceGrantIds:
          added.kind === 'allowance'
            ? [...state.allowanceGrantIds, added.grantId]
            : state.allowanceGrantIds,
        allowancePeriodEnd:
          added.kind === 'allowance'
            ? later(state.allowancePeriodEnd, added.expiresAt)
            : state.allowancePeriodEnd,
      };
    }
    case 'UsageDebited':
      return {
        grants: adjust(state.grants, event.data.allocations, { remaining: -1n }),
        overage: state.overage + event.data.overdraft,
        budgets: spend(state.budgets, event.data.budgetId, event.data.amount),
      };
    case 'CreditsDeducted':
      return { grants: adjust(state.grants, event.data.allocations, { remaining: -1n }) };
    case 'PurchaseRefunded':
      return { grants: adjust(state.grants, [event.data], { remaining: -1n }) };
    case 'OverageSettled':
      return { overage: state.overage - event.data.amount };
    case 'CreditsHeld': {
      const { commandId: _commandId, at, ...hold } = event.data;
      const holds = editable(state.holds);
      holds.set(hold.holdId, { ...hold, placedAt: at });
      return {
        grants: adjust(state.grants, hold.earmarks, { remaining: -1n, held: 1n }),
        holds,
        holdOverdraftTotal: state.holdOverdraftTotal + hold.overdraft,
        budgets: spend(state.budgets, hold.budgetId, hold.amount),
      };
    }
    case 'HoldSettled': {
      const hold = requireHold(state, event.data.holdId);
      // Every earmark leaves `held`; what the job did not use goes back to `remaining`; the rest of
      // the allocations is fresh credit drawn from `remaining`.
      let grants = adjust(state.grants, hold.earmarks, { held: -1n });
      grants = adjust(grants, event.data.released, { remaining: 1n });
      const fromEarmarks = subtract(hold.earmarks, event.data.released);
      grants = adjust(grants, subtract(event.data.allocations, fromEarmarks), { remaining: -1n });
      return {
        ...resolveHold(state, hold.holdId, 'settled', hold.overdraft),
        grants,
        overage: state.overage + event.data.overdraft,
        budgets: spend(state.budgets, hold.budgetId, event.data.amount - hold.amount),
      };
    }
    case 'HoldReleased':
    case 'HoldExpired': {
      const hold = requireHold(state, event.data.holdId);
      return {
        ...resolveHold(
          state,
          hold.holdId,
          event.type === 'HoldReleased' ? 'released' : 'expired',
          hold.overdraft,
        ),
        grants: adjust(state.grants, event.data.released, { remaining: 1n, held: -1n }),
        budgets: spend(state.budgets, hold.budgetId, -hold.amount),
      };
    }
    case 'GrantExpired':
      return {
        grants: adjust(state.grants, [event.data], { remaining: -1n }),
        allowanceGrantIds: state.allowanceGrantIds.filter(
          (grantId) => grantId !== event.data.grantId,
        ),
      };
    case 'TopUpRequested': {
      const atMs = event.data.at.getTime();
      const { topUps } = state;
      const periodMs = state.policy.autoTopUp?.periodMs ?? Number.MAX_SAFE_INTEGER;
      const newPeriod = atMs - topUps.periodStartMs >= periodMs;
      return {
        topUps: {
          lastRequestedAtMs: atMs,
          periodStartMs: newPeriod ? atMs : topUps.periodStartMs,
          requestsInPeriod: newPeriod ? 1 : topUps.requestsInPeriod + 1,
        },
      };
    }
    case 'LowBalanceAlerted':
      return raise(state, `below:${event.data.threshold}`);
    case 'AllowanceUsageAlerted':
      return raise(state, `allowance:${event.data.grantId}:${event.data.percent}`);
    case 'WalletDepleted':
      return raise(state, 'depleted');
    case 'WalletRecovered': {
      const raisedAlerts = new Set(state.raisedAlerts);
      raisedAlerts.delete('depleted');
      return { raisedAlerts };
    }
  }
}

/** Adds `sign × amount` of each allocation to the named fields of its grant. */
function adjust(
  grants: GrantBook,
  allocations: readonly GrantAllocation[],
  signs: { readonly remaining?: bigint; readonly held?: bigint },
): GrantBook {
  let book = grants;
  for (const { grantId, amount } of allocations) {
    if (amount === 0n) continue;
    book = book.adjust(grantId, (signs.remaining ?? 0n) * amount, (signs.held ?? 0n) * amount);
  }
  return book;
}

/** Per-grant difference a − b (b's grants must appear in a). */
function subtract(a: readonly GrantAllocation[], b: readonly GrantAllocation[]): GrantAllocation[] {
  const left = new Map<string, bigint>();
  for (const { grantId, amount } of a) left.set(grantId, (left.get(grantId) ?? 0n) + amount);
  for (const { grantId, amount } of b) left.set(grantId, (left.get(grantId) ?? 0n) - amount);
  return [...left]
    .filter(([, amount]) => amount !== 0n)
    .map(([grantId, amount]) => ({ grantId, amount }));
}

function requireHold(state: OpenWalletState, holdId: string) {
  const hold = state.holds.get(holdId);
  if (hold === undefined) throw new Error(`corrupt wallet stream: hold ${holdId} is not active`);
  return hold;
}

function resolveHold(
  state: OpenWalletState,
  holdId: string,
  how: HoldResolution,
  overdraft: bigint,
): Changes {
  const holds = editable(state.holds);
  holds.delete(holdId);
  const resolvedHolds = editable(state.resolvedHolds);
  resolvedHolds.set(holdId, how);
  return { holds, resolvedHolds, holdOverdraftTotal: state.holdOverdraftTotal - overdraft };
}

function withBudget(
  budgets: ReadonlyMap<string, Budget>,
  budget: Budget,
): ReadonlyMap<string, Budget> {
  const next = new Map(budgets);
  next.set(budget.budgetId, budget);
  return next;
}

function spend(
  budgets: ReadonlyMap<string, Budget>,
  budgetId: string | null,
  amount: bigint,
): ReadonlyMap<string, Budget> {
  if (budgetId === null || amount === 0n) return budgets;
  const budget = budgets.get(budgetId);
  return budget === undefined
    ? budgets
    : withBudget(budgets, { ...budget, used: budget.used + amount });
}

function raise(state: OpenWalletState, alert: string): Changes {
  return { raisedAlerts: new Set(state.raisedAlerts).add(alert) };
}

/** A low-balance alert fires again only after the balance has climbed back over its threshold. */
function rearmAlerts(state: OpenWalletState, at: Date): OpenWalletState {
  const available = availableAt(state, at);
  const stillRaised = [...state.raisedAlerts].filter(
    (alert) => !(alert.startsWith('below:') && available >= BigInt(alert.slice('below:'.length))),
  );
  return stillRaised.length === state.raisedAlerts.size
    ? state
    : { ...state, raisedAlerts: new Set(stillRaised) };
}

/** The state after all of `events`, folded as one batch (see inBatch): the fast way to load a wallet. */
export function foldWalletEvents(events: Iterable<WalletEvent>, from: WalletState): WalletState {
  return inBatch(() => {
    let state = from;
    for (const event of events) state = evolve(state, event);
    return state;
  });
}

const later = (a: Date | null, b: Date | null): Date | null =>
  a === null ? b : b === null || a >= b ? a : b;
