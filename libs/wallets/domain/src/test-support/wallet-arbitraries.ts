import fc from 'fast-check';
import { decide } from '../decide';
import { evolve } from '../evolve';
import { GRANT_KINDS, type GrantKind } from '../grant-kind';
import type { Grant } from '../grant';
import type { WalletCommand, WalletCommandType } from '../wallet-commands';
import type { WalletEvent } from '../wallet-events';
import {
  DEFAULT_WALLET_POLICY,
  type OverdraftPolicy,
  type RolloverPolicy,
  type WalletPolicy,
} from '../wallet-policy';
import { WalletCommandRejected } from '../wallet-rejection';
import { initialState, type OpenWalletState, type WalletState } from '../wallet-state';

/**
 * Random wallet lifecycles for property tests: sequences of every command type, on a clock that
 * only moves forward. A step is drawn without knowing the state; the commands that act on an
 * existing hold or grant pick one of those present when the step runs, so most of them land.
 */

export const LIFECYCLE_T0 = Date.parse('2026-11-01T00:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The longest pause between two commands: 60 steps stay within 27.5 days. */
export const MAX_STEP_ADVANCE_MS = 11 * HOUR;
export const MAX_LIFECYCLE_STEPS = 60;

export const FEATURES = ['llm', 'images', 'search'] as const;
export const SET_BUDGETS = ['b1', 'b2'] as const;

/** A command before it meets the state: ids from small pools, times relative to the step's clock. */
export type Draft =
  | {
      readonly type: 'GrantCredits';
      readonly id: number;
      readonly kind: GrantKind;
      readonly amount: bigint;
      readonly priority: number | undefined;
      /** Relative to the step's time; undefined: the command leaves it out (effective at once). */
      readonly effectiveInMs: number | undefined;
      /** Relative to effectiveAt; null: never expires; undefined: left out. */
      readonly lifetimeMs: number | null | undefined;
      readonly scope: readonly string[] | undefined;
      readonly microsPerCredit: bigint | undefined;
    }
  | {
      readonly type: 'DebitUsage';
      readonly id: number;
      readonly feature: string;
      readonly amount: bigint;
      readonly budgetId: string | null | undefined;
    }
  | {
      readonly type: 'PlaceHold';
      readonly id: number;
      readonly feature: string;
      readonly amount: bigint;
      readonly expiresInMs: number;
      readonly budgetId: string | null | undefined;
    }
  | { readonly type: 'SettleHold'; readonly pick: number; readonly amount: bigint }
  | { readonly type: 'ReleaseHold'; readonly pick: number }
  | { readonly type: 'ExpireHold'; readonly pick: number }
  | { readonly type: 'ExpireGrant'; readonly pick: number }
  | {
      readonly type: 'StartAllowancePeriod';
      readonly id: number;
      readonly amount: bigint;
      readonly periodMs: number;
      readonly microsPerCredit: bigint | undefined;
    }
  | { readonly type: 'AdjustCredits'; readonly id: number; readonly amount: bigint }
  | { readonly type: 'RefundCredits'; readonly id: number; readonly amount: bigint }
  | {
      readonly type: 'RefundPurchase';
      readonly id: number;
      readonly pick: number;
      readonly amount: bigint;
    }
  | { readonly type: 'SetBudget'; readonly budgetId: string; readonly cap: bigint }
  | { readonly type: 'ChangeWalletPolicy'; readonly policy: WalletPolicy };

export interface Step {
  /** How far the clock moves before this command (never backwards). */
  readonly advanceMs: number;
  readonly draft: Draft;
}

export interface LifecycleScenario {
  /** Set right after the wallet opens. */
  readonly policy: WalletPolicy;
  readonly steps: readonly Step[];
}

const amount = (max: bigint) => fc.bigInt({ min: 1n, max });
/** Mostly valid, now and then zero or negative: refusals are part of the game. */
const roughAmount = (max: bigint) =>
  fc.oneof(
    { weight: 12, arbitrary: amount(max) },
    { weight: 1, arbitrary: fc.bigInt({ min: -5n, max: 0n }) },
  );
const budgetRef = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(undefined, null) },
  { weight: 2, arbitrary: fc.constantFrom(...SET_BUDGETS) },
  { weight: 1, arbitrary: fc.constant('b3') },
);
const feature = fc.constantFrom(...FEATURES);
const pick = fc.nat({ max: 9 });

export const overdraftArb: fc.Arbitrary<OverdraftPolicy> = fc.oneof(
  fc.constant({ mode: 'block' as const }),
  fc.bigInt({ min: 0n, max: 2_000n }).map((limit) => ({ mode: 'allow-to-limit' as const, limit })),
);

const expiresAfterMs = fc.option(fc.integer({ min: HOUR, max: 5 * DAY }), { nil: null });
export const rolloverArb: fc.Arbitrary<RolloverPolicy> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ mode: 'none' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      mode: fc.constant('capped' as const),
      capPercentOfAllowance: fc.integer({ min: 1, max: 300 }),
      fixedCap: fc.constant(null),
      expiresAfterMs,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      mode: fc.constant('capped' as const),
      capPercentOfAllowance: fc.constant(null),
      fixedCap: fc.bigInt({ min: 0n, max: 3_000n }),
      expiresAfterMs,
    }),
  },
);

/** Policies keep the default dedupe horizon (35 days), longer than any generated run. */
export const policyArb: fc.Arbitrary<WalletPolicy> = fc.record({
  overdraft: overdraftArb,
  allowance: fc.constant(null),
  autoTopUp: fc.option(
    fc.record({
      threshold: fc.bigInt({ min: 0n, max: 1_000n }),
      amount: amount(1_000n),
      cooldownMs: fc.integer({ min: 0, max: 2 * HOUR }),
      maxPerPeriod: fc.integer({ min: 1, max: 3 }),
      periodMs: fc.integer({ min: HOUR, max: DAY }),
    }),
    { nil: null },
  ),
  alerts: fc.record({
    balanceThresholds: fc.subarray([0n, 100n, 500n, 1_000n]),
    allowanceUsedPercents: fc.subarray([50, 80, 100]),
  }),
  rollover: rolloverArb,
  dedupeHorizonMs: fc.constant(DEFAULT_WALLET_POLICY.dedupeHorizonMs),
});

const draftArb: fc.Arbitrary<Draft> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      type: fc.constant('GrantCredits' as const),
      id: fc.nat({ max: 11 }),
      kind: fc.constantFrom(...GRANT_KINDS),
      amount: roughAmount(3_000n),
      priority: fc.constantFrom(undefined, undefined, 0, 1, 50, 100, 200, -1),
      effectiveInMs: fc.oneof(
        { weight: 3, arbitrary: fc.constant(undefined) },
        { weight: 2, arbitrary: fc.integer({ min: -DAY, max: 0 }) },
        { weight: 2, arbitrary: fc.integer({ min: 1, max: 2 * DAY }) },
      ),
      lifetimeMs: fc.oneof(
        { weight: 2, arbitrary: fc.constantFrom(undefined, null) },
        { weight: 3, arbitrary: fc.integer({ min: MINUTE, max: 6 * HOUR }) },
        { weight: 2, arbitrary: fc.integer({ min: 6 * HOUR, max: 4 * DAY }) },
        { weight: 1, arbitrary: fc.integer({ min: -HOUR, max: 0 }) },
      ),
      scope: fc.constantFrom(undefined, [], [], ['llm'], ['images', 'search'], ['search']),
      microsPerCredit: fc.constantFrom(undefined, 0n, 5_000n, 10_000n),
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      type: fc.constant('DebitUsage' as const),
      id: fc.nat({ max: 40 }),
      feature,
      amount: roughAmount(800n),
      budgetId: budgetRef,
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constant('PlaceHold' as const),
      id: fc.nat({ max: 5 }),
      feature,
      amount: roughAmount(800n),
      expiresInMs: fc.oneof(
        { weight: 5, arbitrary: fc.integer({ min: MINUTE, max: 12 * HOUR }) },
        { weight: 3, arbitrary: fc.integer({ min: 12 * HOUR, max: 3 * DAY }) },
        { weight: 1, arbitrary: fc.integer({ min: -MINUTE, max: 0 }) },
      ),
      budgetId: budgetRef,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('SettleHold' as const),
      pick,
      amount: fc.bigInt({ min: -1n, max: 2_000n }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('ReleaseHold' as const), pick }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('ExpireHold' as const), pick }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('ExpireGrant' as const), pick }) },
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant('StartAllowancePeriod' as const),
      id: fc.nat({ max: 5 }),
      amount: roughAmount(3_000n),
      periodMs: fc.oneof(
        { weight: 8, arbitrary: fc.integer({ min: HOUR, max: DAY }) },
        { weight: 1, arbitrary: fc.constant(0) },
      ),
      microsPerCredit: fc.constantFrom(undefined, 0n, 8_000n),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('AdjustCredits' as const),
      id: fc.nat({ max: 5 }),
      amount: fc.oneof(
        { weight: 4, arbitrary: amount(1_500n) },
        { weight: 4, arbitrary: amount(1_500n).map((credit) => -credit) },
        { weight: 1, arbitrary: fc.constant(0n) },
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('RefundCredits' as const),
      id: fc.nat({ max: 5 }),
      amount: roughAmount(1_000n),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('RefundPurchase' as const),
      id: fc.nat({ max: 5 }),
      pick,
      amount: roughAmount(1_000n),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('SetBudget' as const),
      budgetId: fc.constantFrom(...SET_BUDGETS),
      cap: fc.oneof(
        { weight: 8, arbitrary: fc.bigInt({ min: 0n, max: 4_000n }) },
        { weight: 1, arbitrary: fc.constant(-1n) },
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant('ChangeWalletPolicy' as const), policy: policyArb }),
  },
);

const advanceArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 90 * MINUTE }) },
  { weight: 2, arbitrary: fc.integer({ min: HOUR, max: MAX_STEP_ADVANCE_MS }) },
);

export const lifecycleArb: fc.Arbitrary<LifecycleScenario> = fc.record({
  policy: policyArb,
  steps: fc.array(fc.record({ advanceMs: advanceArb, draft: draftArb }), {
    maxLength: MAX_LIFECYCLE_STEPS,
    size: 'max',
  }),
});

/** One command of a run: the state it was decided on, what it caused, and the state after. */
export interface LifecycleStep {
  readonly command: WalletCommand;
  readonly before: OpenWalletState;
  readonly events: readonly WalletEvent[];
  readonly after: OpenWalletState;
  /** Set when the decider refused the command; the state is then unchanged. */
  readonly rejection: WalletCommandRejected | null;
}

export interface Lifecycle {
  /** The random steps only (not the opening commands). */
  readonly steps: readonly LifecycleStep[];
  /** Every event, the opening commands' included, in order. */
  readonly events: readonly WalletEvent[];
  readonly state: OpenWalletState;
  readonly startedAt: Date;
  readonly endedAt: Date;
}

export interface RunOptions {
  /** Replaces the overdraft policy of every policy in the run, to keep it fixed. */
  readonly overdraft?: OverdraftPolicy;
}

/** Decides the scenario's commands in turn on a fresh wallet; refused commands change nothing. */
export function runLifecycle(scenario: LifecycleScenario, options: RunOptions = {}): Lifecycle {
  const fix = (policy: WalletPolicy): WalletPolicy =>
    options.overdraft === undefined ? policy : { ...policy, overdraft: options.overdraft };
  const startedAt = new Date(LIFECYCLE_T0);
  const opening: readonly WalletCommand[] = [
    {
      type: 'OpenWallet',
      commandId: 'open',
      at: startedAt,
      walletId: 'w',
      customerId: 'c',
      name: 'C',
    },
    {
      type: 'ChangeWalletPolicy',
      commandId: 'policy',
      at: startedAt,
      policy: fix(scenario.policy),
    },
  ];
  const events: WalletEvent[] = [];
  let state: WalletState = initialState();
  for (const command of opening) {
    const decided = decide(command, state);
    events.push(...decided);
    state = decided.reduce(evolve, state);
  }
  let current = state as OpenWalletState;
  let now = LIFECYCLE_T0;
  const steps: LifecycleStep[] = [];
  scenario.steps.forEach(({ advanceMs, draft }, index) => {
    now += advanceMs;
    const command = toCommand(draft, `c${index}`, new Date(now), current, fix);
    const before = current;
    try {
      const decided = decide(command, before);
      current = decided.reduce<WalletState>(evolve, before) as OpenWalletState;
      events.push(...decided);
      steps.push({ command, before, events: decided, after: current, rejection: null });
    } catch (error) {
      if (!(error instanceof WalletCommandRejected)) throw error;
      steps.push({ command, before, events: [], after: before, rejection: error });
    }
  });
  return { steps, events, state: current, startedAt, endedAt: new Date(now) };
}

function toCommand(
  draft: Draft,
  commandId: string,
  at: Date,
  state: OpenWalletState,
  fix: (policy: WalletPolicy) => WalletPolicy,
): WalletCommand {
  const atMs = at.getTime();
  switch (draft.type) {
    case 'GrantCredits': {
      const effectiveAt =
        draft.effectiveInMs === undefined ? undefined : new Date(atMs + draft.effectiveInMs);
      const from = effectiveAt?.getTime() ?? atMs;
      const expiresAt =
        draft.lifetimeMs === undefined || draft.lifetimeMs === null
          ? draft.lifetimeMs
          : new Date(from + draft.lifetimeMs);
      return {
        type: 'GrantCredits',
        commandId,
        at,
        grantId: `g${draft.id}`,
        kind: draft.kind,
        amount: draft.amount,
        ...(draft.priority === undefined ? {} : { priority: draft.priority }),
        ...(effectiveAt === undefined ? {} : { effectiveAt }),
        ...(expiresAt === undefined ? {} : { expiresAt }),
        ...(draft.scope === undefined ? {} : { scope: draft.scope }),
        ...(draft.microsPerCredit === undefined
          ? {}
          : { costBasis: { currency: 'USD', microsPerCredit: draft.microsPerCredit } }),
      };
    }
    case 'DebitUsage':
      // A usage event's command id is derived from it, so a repeated event is a retry.
      return {
        type: 'DebitUsage',
        commandId: `usage:e${draft.id}`,
        at,
        usageEventId: `e${draft.id}`,
        feature: draft.feature,
        amount: draft.amount,
        ...(draft.budgetId === undefined ? {} : { budgetId: draft.budgetId }),
      };
    case 'PlaceHold':
      return {
        type: 'PlaceHold',
        commandId,
        at,
        holdId: `h${draft.id}`,
        amount: draft.amount,
        feature: draft.feature,
        expiresAt: new Date(atMs + draft.expiresInMs),
        ...(draft.budgetId === undefined ? {} : { budgetId: draft.budgetId }),
      };
    case 'SettleHold':
      return {
        type: 'SettleHold',
        commandId,
        at,
        holdId: holdFor(state, draft.pick, atMs, false),
        amount: draft.amount,
      };
    case 'ReleaseHold':
      return {
        type: 'ReleaseHold',
        commandId,
        at,
        holdId: holdFor(state, draft.pick, atMs, false),
      };
    case 'ExpireHold':
      return { type: 'ExpireHold', commandId, at, holdId: holdFor(state, draft.pick, atMs, true) };
    case 'ExpireGrant':
      return {
        type: 'ExpireGrant',
        commandId,
        at,
        grantId: grantFor(state, draft.pick, dueAt(atMs)),
      };
    case 'StartAllowancePeriod':
      return {
        type: 'StartAllowancePeriod',
        commandId,
        at,
        periodId: `p${draft.id}`,
        amount: draft.amount,
        periodEnd: new Date(atMs + draft.periodMs),
        ...(draft.microsPerCredit === undefined
          ? {}
          : { costBasis: { currency: 'USD', microsPerCredit: draft.microsPerCredit } }),
      };
    case 'AdjustCredits':
      return {
        type: 'AdjustCredits',
        commandId,
        at,
        adjustmentId: `a${draft.id}`,
        amount: draft.amount,
        reason: 'support',
      };
    case 'RefundCredits':
      return {
        type: 'RefundCredits',
        commandId,
        at,
        refundId: `r${draft.id}`,
        amount: draft.amount,
        reason: 'outage',
      };
    case 'RefundPurchase':
      return {
        type: 'RefundPurchase',
        commandId,
        at,
        refundId: `rp${draft.id}`,
        grantId: grantFor(state, draft.pick, refundable),
        amount: draft.amount,
        reason: 'unused',
      };
    case 'SetBudget':
      return { type: 'SetBudget', commandId, at, budgetId: draft.budgetId, cap: draft.cap };
    case 'ChangeWalletPolicy':
      return { type: 'ChangeWalletPolicy', commandId, at, policy: fix(draft.policy) };
  }
}

/** Picks 0–8 name an active hold (one past expiry first, when expiring it); 9, or no active hold, a resolved or unknown one. */
function holdFor(state: OpenWalletState, pick: number, atMs: number, expiring: boolean): string {
  const active = [...state.holds.values()];
  const ordered = expiring
    ? [
        ...active.filter((hold) => hold.expiresAt.getTime() <= atMs),
        ...active.filter((hold) => hold.expiresAt.getTime() > atMs),
      ]
    : active;
  const resolved = [...state.resolvedHolds.keys()];
  if (pick < 9 && ordered.length > 0)
    return ordered[expiring ? 0 : pick % ordered.length]?.holdId ?? 'h?';
  return resolved[pick % Math.max(resolved.length, 1)] ?? `h${pick}`;
}

/** Picks 0–8 name a grant `wanted` picks out, when there is one; 9, or none wanted, any grant. */
function grantFor(state: OpenWalletState, pick: number, wanted: (grant: Grant) => boolean): string {
  const grants = [...state.grants.all()];
  const candidates = grants.filter(wanted);
  if (pick < 9 && candidates.length > 0)
    return candidates[pick % candidates.length]?.grantId ?? 'g?';
  return grants[pick % Math.max(grants.length, 1)]?.grantId ?? `g${pick}`;
}

/** Past expiry with free credit left: the scheduler's work. */
const dueAt =
  (atMs: number) =>
  (grant: Grant): boolean =>
    grant.expiresAt !== null && grant.expiresAt.getTime() <= atMs && grant.remaining > 0n;

/** Cost money and has free credit: something to pay back. */
const refundable = (grant: Grant): boolean =>
  grant.costBasis.microsPerCredit > 0n && grant.remaining > 0n;

/** Counts, across the runs of one property, which command types landed and which events occurred. */
export class LifecycleCoverage {
  readonly accepted = new Map<WalletCommandType, number>();
  readonly rejected = new Map<WalletCommandType, number>();
  readonly events = new Map<string, number>();

  record(lifecycle: Lifecycle): void {
    for (const step of lifecycle.steps) {
      const tally = step.rejection === null ? this.accepted : this.rejected;
      tally.set(step.command.type, (tally.get(step.command.type) ?? 0) + 1);
      for (const event of step.events)
        this.events.set(event.type, (this.events.get(event.type) ?? 0) + 1);
    }
  }

  get acceptedTotal(): number {
    return [...this.accepted.values()].reduce((total, count) => total + count, 0);
  }

  get rejectedTotal(): number {
    return [...this.rejected.values()].reduce((total, count) => total + count, 0);
  }
}
