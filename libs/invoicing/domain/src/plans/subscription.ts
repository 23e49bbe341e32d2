import { CommandLog, inBatch } from '@burndown/decider-kit';
import {
  billingPeriod,
  periodContaining,
  type BillingInterval,
  type BillingPeriod,
} from './billing-period';

/** A plan version as a subscription refers to it. */
export interface PlanRef {
  readonly planId: string;
  readonly version: number;
  readonly interval: BillingInterval;
}

export type SubscriptionCommand =
  | {
      readonly type: 'StartSubscription';
      readonly commandId: string;
      readonly at: Date;
      readonly customerId: string;
      readonly plan: PlanRef;
    }
  | {
      readonly type: 'ChangeSubscriptionPlan';
      readonly commandId: string;
      readonly at: Date;
      readonly plan: PlanRef;
    }
  | {
      readonly type: 'CancelSubscription';
      readonly commandId: string;
      readonly at: Date;
      readonly when: 'period-end' | 'now';
    };

export type SubscriptionEvent =
  | {
      readonly type: 'SubscriptionStarted';
      readonly data: {
        readonly commandId: string;
        readonly at: Date;
        readonly customerId: string;
        readonly planId: string;
        readonly planVersion: number;
        readonly interval: BillingInterval;
        /** Periods start on its day of month and time of day (see billing-period). */
        readonly anchor: Date;
      };
    }
  | {
      readonly type: 'SubscriptionPlanChanged';
      readonly data: {
        readonly commandId: string;
        readonly at: Date;
        readonly planId: string;
        readonly planVersion: number;
        /** The start of the next period: a change never splits a period. */
        readonly effectiveAt: Date;
      };
    }
  | {
      readonly type: 'SubscriptionCanceled';
      readonly data: { readonly commandId: string; readonly at: Date; readonly effectiveAt: Date };
    };

/** Which plan version is in force from when. */
export interface PlanPhase {
  readonly planId: string;
  readonly planVersion: number;
  readonly from: Date;
}

export type SubscriptionState =
  | { readonly status: 'none'; readonly handled: CommandLog }
  | {
      readonly status: 'started';
      readonly customerId: string;
      readonly interval: BillingInterval;
      readonly anchor: Date;
      /** In order of `from`; the last may start in the future (a change scheduled). */
      readonly phases: readonly PlanPhase[];
      /** When the subscription ends (cancelled), or null. */
      readonly endsAt: Date | null;
      readonly handled: CommandLog;
    };

export class SubscriptionRefused extends Error {
  override readonly name = 'SubscriptionRefused';
  constructor(
    readonly code: 'already-subscribed' | 'not-subscribed' | 'ended' | 'interval-mismatch',
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

const HORIZON_MS = 35 * 86_400_000;

export const initialSubscriptionState = (): SubscriptionState => ({
  status: 'none',
  handled: CommandLog.empty(),
});

/**
 * A subscription bills in periods anchored on its start. A plan change takes effect at the start
 * of the next period, so a period is always billed at one plan and nothing is prorated; changing
 * again in the same period replaces the change scheduled. Cancelling ends the subscription at the
 * period's end (what was billed for it is used up) or at once; a change scheduled after the end
 * is dropped.
 */
export function decideSubscription(
  command: SubscriptionCommand,
  state: SubscriptionState,
): readonly SubscriptionEvent[] {
  if (state.handled.has(command.commandId)) return [];
  const { commandId, at } = command;
  if (command.type === 'StartSubscription') {
    if (state.status !== 'none')
      throw new SubscriptionRefused(
        'already-subscribed',
        'the subscription has started already',
        'subscriptionId',
      );
    const { planId, version, interval } = command.plan;
    return [
      {
        type: 'SubscriptionStarted',
        data: {
          commandId,
          at,
          customerId: command.customerId,
          planId,
          planVersion: version,
          interval,
          anchor: at,
        },
      },
    ];
  }
  if (state.status === 'none')
    throw new SubscriptionRefused(
      'not-subscribed',
      'the subscription has not started',
      'subscriptionId',
    );
  // Cancelling what has ended already changes nothing.
  if (command.type === 'CancelSubscription' && state.endsAt !== null && state.endsAt <= at)
    return [];
  const periodEnd = periodContaining(state.anchor, state.interval, at).end;
  if (command.type === 'ChangeSubscriptionPlan') {
    const { planId, version, interval } = command.plan;
    if (interval !== state.interval)
      throw new SubscriptionRefused(
        'interval-mismatch',
        `the subscription bills every ${state.interval}; plan ${planId} every ${interval}`,
        'planId',
      );
    const next = phaseAt(state, periodEnd);
    if (next.planId === planId && next.planVersion === version) return [];
    // Ended, or ending before the change would take effect.
    if (state.endsAt !== null && state.endsAt <= periodEnd)
      throw new SubscriptionRefused(
        'ended',
        `the subscription ends ${state.endsAt.toISOString()}`,
        'subscriptionId',
      );
    return [
      {
        type: 'SubscriptionPlanChanged',
        data: { commandId, at, planId, planVersion: version, effectiveAt: periodEnd },
      },
    ];
  }
  const effectiveAt = command.when === 'now' ? at : periodEnd;
  if (state.endsAt !== null && state.endsAt <= effectiveAt) return [];
  return [{ type: 'SubscriptionCanceled', data: { commandId, at, effectiveAt } }];
}

export function evolveSubscription(
  state: SubscriptionState,
  event: SubscriptionEvent,
): SubscriptionState {
  const handled = state.handled.record(event.data.commandId, event.data.at.getTime(), HORIZON_MS);
  switch (event.type) {
    case 'SubscriptionStarted': {
      const { customerId, interval, anchor, planId, planVersion } = event.data;
      return {
        status: 'started',
        customerId,
        interval,
        anchor,
        phases: [{ planId, planVersion, from: anchor }],
        endsAt: null,
        handled,
      };
    }
    case 'SubscriptionPlanChanged': {
      if (state.status !== 'started') return { ...state, handled };
      const { planId, planVersion, effectiveAt } = event.data;
      const kept = state.phases.filter((phase) => phase.from < effectiveAt);
      return { ...state, phases: [...kept, { planId, planVersion, from: effectiveAt }], handled };
    }
    case 'SubscriptionCanceled': {
      if (state.status !== 'started') return { ...state, handled };
      const { effectiveAt } = event.data;
      // The first phase always stays: a subscription cancelled at once still had its start.
      const kept = state.phases.filter((phase, index) => index === 0 || phase.from < effectiveAt);
      return { ...state, phases: kept, endsAt: effectiveAt, handled };
    }
  }
}

function phaseAt(state: Extract<SubscriptionState, { status: 'started' }>, at: Date): PlanPhase {
  return state.phases.findLast((phase) => phase.from <= at) ?? (state.phases[0] as PlanPhase);
}

/** What the subscription bills at `at`: the plan version in force and its period; undefined when not active. */
export function subscriptionAt(
  state: SubscriptionState,
  at: Date,
): { readonly phase: PlanPhase; readonly period: BillingPeriod } | undefined {
  if (state.status !== 'started' || at < state.anchor) return undefined;
  if (state.endsAt !== null && at >= state.endsAt) return undefined;
  return { phase: phaseAt(state, at), period: periodContaining(state.anchor, state.interval, at) };
}

/** The periods that have started by `at` (the last may be under way), each with its plan. */
export function periodsThrough(
  state: SubscriptionState,
  at: Date,
): { readonly phase: PlanPhase; readonly period: BillingPeriod }[] {
  if (state.status !== 'started' || at < state.anchor) return [];
  const ended = state.endsAt !== null && state.endsAt <= at;
  if (ended && (state.endsAt as Date) <= state.anchor) return [];
  // Ended: through the period its last instant fell in.
  const lastInstant = ended ? new Date((state.endsAt as Date).getTime() - 1) : at;
  const last = periodContaining(state.anchor, state.interval, lastInstant);
  return Array.from({ length: last.index + 1 }, (_, index) => {
    const period = billingPeriod(state.anchor, state.interval, index);
    return { phase: phaseAt(state, period.start), period };
  });
}

export const subscriptionDecider = {
  decide: decideSubscription,
  evolve: evolveSubscription,
  initialState: initialSubscriptionState,
  batch: inBatch,
} as const;
