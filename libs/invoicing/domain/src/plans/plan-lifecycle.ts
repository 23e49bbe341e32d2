import { CommandLog, inBatch } from '@burndown/decider-kit';
import { readPlanDefinition, type PlanDefinition } from './plan-definition';

export type PlanCommand = {
  readonly type: 'PublishPlanVersion';
  readonly commandId: string;
  readonly at: Date;
  /** The plan's JSON form (see readPlanDefinition). */
  readonly definition: unknown;
  /** Defaults to `at`; a later date schedules the version. */
  readonly effectiveFrom: Date | null;
};

export type PlanEvent = {
  readonly type: 'PlanVersionPublished';
  readonly data: {
    readonly commandId: string;
    readonly at: Date;
    readonly version: number;
    readonly effectiveFrom: Date;
    readonly definition: PlanDefinition;
  };
};

export interface PlanVersion {
  readonly version: number;
  readonly effectiveFrom: Date;
  readonly publishedAt: Date;
  readonly definition: PlanDefinition;
}

export interface PlanHistory {
  readonly planId: string | null;
  readonly versions: readonly PlanVersion[];
  readonly handled: CommandLog;
}

export class PlanRefused extends Error {
  override readonly name = 'PlanRefused';
  constructor(
    readonly code: 'plan-id-mismatch' | 'effective-before-latest',
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** How long a command id is remembered: a retry within it publishes nothing twice. */
const HORIZON_MS = 35 * 86_400_000;

export const initialPlanHistory = (): PlanHistory => ({
  planId: null,
  versions: [],
  handled: CommandLog.empty(),
});

/**
 * Publishing a plan adds a version, never changes one: subscribers stay on the version they
 * subscribed to until they change plan, and a new version is what new subscriptions get from its
 * date. Versions take effect in the order they are published.
 */
export function decidePlan(command: PlanCommand, state: PlanHistory): readonly PlanEvent[] {
  if (state.handled.has(command.commandId)) return [];
  const definition = readPlanDefinition(command.definition);
  if (state.planId !== null && definition.planId !== state.planId)
    throw new PlanRefused('plan-id-mismatch', `this is plan ${state.planId}`, 'planId');
  const effectiveFrom = command.effectiveFrom ?? command.at;
  const latest = state.versions.at(-1);
  if (latest !== undefined && effectiveFrom < latest.effectiveFrom)
    throw new PlanRefused(
      'effective-before-latest',
      `version ${latest.version} takes effect ${latest.effectiveFrom.toISOString()}: a new version cannot take effect before it`,
      'effectiveFrom',
    );
  return [
    {
      type: 'PlanVersionPublished',
      data: {
        commandId: command.commandId,
        at: command.at,
        version: (latest?.version ?? 0) + 1,
        effectiveFrom,
        definition,
      },
    },
  ];
}

export function evolvePlan(state: PlanHistory, event: PlanEvent): PlanHistory {
  const { commandId, at, version, effectiveFrom, definition } = event.data;
  return {
    planId: definition.planId,
    versions: [...state.versions, { version, effectiveFrom, publishedAt: at, definition }],
    handled: state.handled.record(commandId, at.getTime(), HORIZON_MS),
  };
}

/** The version new subscriptions get at `at`: the latest in effect then. */
export function planVersionAt(state: PlanHistory, at: Date): PlanVersion | undefined {
  return state.versions.findLast((version) => version.effectiveFrom <= at);
}

export const planDecider = {
  decide: decidePlan,
  evolve: evolvePlan,
  initialState: initialPlanHistory,
  batch: inBatch,
} as const;
