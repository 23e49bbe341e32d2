import {
  planDefinitionJson,
  subscriptionAt,
  type PlanHistory,
  type SubscriptionState,
} from '@burndown/invoicing-domain';

/** A plan's versions as JSON: amounts as decimal strings, times as ISO-8601. */
export const planView = (history: PlanHistory) => ({
  planId: history.planId,
  versions: history.versions.map((version) => ({
    version: version.version,
    effectiveFrom: version.effectiveFrom.toISOString(),
    publishedAt: version.publishedAt.toISOString(),
    definition: planDefinitionJson(version.definition),
  })),
});

/** Where a subscription stands at `now`: its plan and period, a change to come, its end. */
export function subscriptionView(subscriptionId: string, state: SubscriptionState, now: Date) {
  if (state.status === 'none') return undefined;
  const current = subscriptionAt(state, now);
  const next = state.phases.find((phase) => phase.from > now);
  return {
    subscriptionId,
    customerId: state.customerId,
    status: current === undefined ? 'ended' : state.endsAt === null ? 'active' : 'canceling',
    interval: state.interval,
    anchor: state.anchor.toISOString(),
    plan:
      current === undefined
        ? null
        : { planId: current.phase.planId, version: current.phase.planVersion },
    currentPeriod:
      current === undefined
        ? null
        : {
            index: current.period.index,
            start: current.period.start.toISOString(),
            end: current.period.end.toISOString(),
          },
    scheduledChange:
      next === undefined
        ? null
        : { planId: next.planId, version: next.planVersion, effectiveAt: next.from.toISOString() },
    endsAt: state.endsAt?.toISOString() ?? null,
  };
}
