import { planEventCodec, subscriptionEventCodec } from './plan-codecs';
import { InvalidPlanError, readPlanDefinition } from './plan-definition';
import {
  decidePlan,
  evolvePlan,
  initialPlanHistory,
  planVersionAt,
  PlanRefused,
  type PlanCommand,
  type PlanHistory,
} from './plan-lifecycle';
import {
  decideSubscription,
  evolveSubscription,
  initialSubscriptionState,
  periodsThrough,
  subscriptionAt,
  SubscriptionRefused,
  type SubscriptionCommand,
  type SubscriptionState,
} from './subscription';

const at = (iso: string) => new Date(iso);
const CREDIT = 1_000_000n;

const starter = {
  planId: 'starter',
  name: 'Starter',
  currency: 'USD',
  interval: 'month',
  baseFee: '2900',
  allowance: {
    credits: (1_000n * CREDIT).toString(),
    rollover: { mode: 'capped', cap: (500n * CREDIT).toString() },
  },
  rateCardId: 'default',
  features: {
    'image.generation': { type: 'boolean', enabled: true },
    'llm.tokens': { type: 'metered', limit: '5000000', enforcement: 'soft' },
    seats: { type: 'config', value: 3 },
  },
  packs: [
    { packId: 'boost', credits: (2_000n * CREDIT).toString(), price: '1900', currency: 'USD' },
  ],
  overage: { microsPerCredit: '3000000', uncovered: 'write-off' },
  commitment: { minimum: '5000' },
};

let commands = 0;
function runPlan(
  state: PlanHistory,
  command: Omit<PlanCommand, 'type' | 'commandId'> & { commandId?: string },
): PlanHistory {
  const events = decidePlan(
    { type: 'PublishPlanVersion', commandId: command.commandId ?? `c${++commands}`, ...command },
    state,
  );
  return events.reduce(evolvePlan, state);
}

function runSubscription(
  state: SubscriptionState,
  command: SubscriptionCommand,
): SubscriptionState {
  return decideSubscription(command, state).reduce(evolveSubscription, state);
}

const ref = (planId: string, version = 1, interval: 'month' | 'year' = 'month') => ({
  planId,
  version,
  interval,
});

describe('plans: versions with a base fee, an allowance, a rate card, features and packs', () => {
  it('reads a plan with every part, money in minor units and credits in micro-credits', () => {
    expect(readPlanDefinition(starter)).toEqual({
      planId: 'starter',
      name: 'Starter',
      currency: 'USD',
      interval: 'month',
      baseFee: 2900n,
      allowance: { credits: 1_000n * CREDIT, rollover: { mode: 'capped', cap: 500n * CREDIT } },
      rateCardId: 'default',
      features: {
        'image.generation': { type: 'boolean', enabled: true },
        'llm.tokens': { type: 'metered', limit: 5_000_000n, enforcement: 'soft' },
        seats: { type: 'config', value: 3 },
      },
      packs: [{ packId: 'boost', credits: 2_000n * CREDIT, price: 1900n, currency: 'USD' }],
      overage: { microsPerCredit: 3_000_000n, uncovered: 'write-off' },
      commitment: { minimum: 5_000n },
    });
    expect(readPlanDefinition({ ...starter, overage: undefined }).overage).toBeNull();
    expect(readPlanDefinition({ ...starter, commitment: undefined }).commitment).toBeNull();
    expect(readPlanDefinition({ ...starter, overage: { microsPerCredit: '1' } }).overage).toEqual({
      microsPerCredit: 1n,
      uncovered: 'invoice',
    });
  });

  it.each([
    [{ ...starter, baseFee: 29.0 }, 'baseFee'],
    [{ ...starter, basefee: '2900' }, 'basefee'],
    [{ ...starter, packs: [{ ...starter.packs[0], prize: '1' }] }, 'packs[0].prize'],
    [{ ...starter, currency: 'usd' }, 'currency'],
    [{ ...starter, interval: 'week' }, 'interval'],
    [
      { ...starter, allowance: { credits: '10', rollover: { mode: 'capped' } } },
      'allowance.rollover.cap',
    ],
    [{ ...starter, features: { x: { type: 'metered', limit: '-1' } } }, 'features.x.limit'],
    [{ ...starter, packs: [starter.packs[0], starter.packs[0]] }, 'packs[1].packId'],
    [{ ...starter, packs: [{ ...starter.packs[0], credits: '0' }] }, 'packs[0].credits'],
    [{ ...starter, overage: { microsPerCredit: '1', uncovered: 'forgive' } }, 'overage.uncovered'],
    [{ ...starter, overage: { microsPerCredit: '0.5' } }, 'overage.microsPerCredit'],
    [{ ...starter, overage: { microsPerCredit: '1', price: '2' } }, 'overage.price'],
    [{ ...starter, commitment: { minimum: '-1' } }, 'commitment.minimum'],
    [{ ...starter, commitment: { minimum: '10', period: 'year' } }, 'commitment.period'],
  ])('refuses a bad plan and names the field (%#)', (definition, field) => {
    expect(() => readPlanDefinition(definition)).toThrow(
      expect.objectContaining({ name: InvalidPlanError.name, field }),
    );
  });

  it('publishes versions in order; each is what new subscriptions get from its date; a retry publishes nothing', () => {
    let plan = runPlan(initialPlanHistory(), {
      commandId: 'v1',
      at: at('2027-01-01T00:00:00Z'),
      definition: starter,
      effectiveFrom: null,
    });
    plan = runPlan(plan, {
      commandId: 'v1',
      at: at('2027-01-01T00:00:01Z'),
      definition: starter,
      effectiveFrom: null,
    });
    plan = runPlan(plan, {
      at: at('2027-01-10T00:00:00Z'),
      definition: { ...starter, baseFee: '3900' },
      effectiveFrom: at('2027-02-01T00:00:00Z'),
    });
    expect(plan.versions.map(({ version }) => version)).toEqual([1, 2]);
    expect(planVersionAt(plan, at('2027-01-31T23:59:59Z'))?.definition.baseFee).toBe(2900n);
    expect(planVersionAt(plan, at('2027-02-01T00:00:00Z'))?.definition.baseFee).toBe(3900n);
    expect(planVersionAt(plan, at('2026-12-31T00:00:00Z'))).toBeUndefined();
    expect(() =>
      runPlan(plan, {
        at: at('2027-01-11T00:00:00Z'),
        definition: starter,
        effectiveFrom: at('2027-01-15T00:00:00Z'),
      }),
    ).toThrow(
      expect.objectContaining({
        name: PlanRefused.name,
        code: 'effective-before-latest',
        field: 'effectiveFrom',
      }),
    );
    expect(() =>
      runPlan(plan, {
        at: at('2027-01-11T00:00:00Z'),
        definition: { ...starter, planId: 'pro' },
        effectiveFrom: null,
      }),
    ).toThrow(expect.objectContaining({ code: 'plan-id-mismatch', field: 'planId' }));
  });
});

describe('subscriptions: periods anchored on the start, plan changes at the next period, cancellation', () => {
  const start = at('2027-01-31T09:00:00Z');
  const started = runSubscription(initialSubscriptionState(), {
    type: 'StartSubscription',
    commandId: 's1',
    at: start,
    customerId: 'acme',
    plan: ref('starter'),
  });

  it('bills in monthly periods from the start, clamped to short months', () => {
    expect(
      periodsThrough(started, at('2027-04-01T00:00:00Z')).map(({ period }) => [
        period.index,
        period.start.toISOString(),
      ]),
    ).toEqual([
      [0, '2027-01-31T09:00:00.000Z'],
      [1, '2027-02-28T09:00:00.000Z'],
      [2, '2027-03-31T09:00:00.000Z'],
    ]);
    expect(() =>
      runSubscription(started, {
        type: 'StartSubscription',
        commandId: 's2',
        at: start,
        customerId: 'acme',
        plan: ref('starter'),
      }),
    ).toThrow(
      expect.objectContaining({ name: SubscriptionRefused.name, code: 'already-subscribed' }),
    );
  });

  it('changes plan at the start of the next period, the last change of a period winning; no period is split', () => {
    let state = runSubscription(started, {
      type: 'ChangeSubscriptionPlan',
      commandId: 'c1',
      at: at('2027-02-10T00:00:00Z'),
      plan: ref('pro'),
    });
    state = runSubscription(state, {
      type: 'ChangeSubscriptionPlan',
      commandId: 'c2',
      at: at('2027-02-20T00:00:00Z'),
      plan: ref('scale'),
    });
    expect(subscriptionAt(state, at('2027-02-27T00:00:00Z'))?.phase.planId).toBe('starter');
    expect(subscriptionAt(state, at('2027-02-28T09:00:00Z'))?.phase).toEqual({
      planId: 'scale',
      planVersion: 1,
      from: at('2027-02-28T09:00:00Z'),
    });
    expect(() =>
      runSubscription(state, {
        type: 'ChangeSubscriptionPlan',
        commandId: 'c3',
        at: at('2027-03-01T00:00:00Z'),
        plan: ref('annual', 1, 'year'),
      }),
    ).toThrow(expect.objectContaining({ code: 'interval-mismatch' }));
    // Changing to what is already due is no change.
    expect(
      decideSubscription(
        {
          type: 'ChangeSubscriptionPlan',
          commandId: 'c4',
          at: at('2027-02-21T00:00:00Z'),
          plan: ref('scale'),
        },
        state,
      ),
    ).toEqual([]);
  });

  it('cancels at the period end by default, drops a change scheduled after it, and refuses changes once ended', () => {
    let state = runSubscription(started, {
      type: 'ChangeSubscriptionPlan',
      commandId: 'c1',
      at: at('2027-02-10T00:00:00Z'),
      plan: ref('pro'),
    });
    state = runSubscription(state, {
      type: 'CancelSubscription',
      commandId: 'x1',
      at: at('2027-02-11T00:00:00Z'),
      when: 'period-end',
    });
    expect(state.status === 'started' && state.endsAt).toEqual(at('2027-02-28T09:00:00Z'));
    expect(state.status === 'started' && state.phases.map(({ planId }) => planId)).toEqual([
      'starter',
    ]);
    expect(subscriptionAt(state, at('2027-02-28T08:59:59Z'))?.period.index).toBe(0);
    expect(subscriptionAt(state, at('2027-02-28T09:00:00Z'))).toBeUndefined();
    expect(periodsThrough(state, at('2027-06-01T00:00:00Z'))).toHaveLength(1);
    expect(() =>
      runSubscription(state, {
        type: 'ChangeSubscriptionPlan',
        commandId: 'c2',
        at: at('2027-02-12T00:00:00Z'),
        plan: ref('scale'),
      }),
    ).toThrow(expect.objectContaining({ code: 'ended' }));
    // Cancelling now as well brings the end forward; cancelling again at the period end changes nothing.
    state = runSubscription(state, {
      type: 'CancelSubscription',
      commandId: 'x2',
      at: at('2027-02-12T00:00:00Z'),
      when: 'now',
    });
    expect(state.status === 'started' && state.endsAt).toEqual(at('2027-02-12T00:00:00Z'));
    expect(
      decideSubscription(
        {
          type: 'CancelSubscription',
          commandId: 'x3',
          at: at('2027-02-12T00:00:01Z'),
          when: 'period-end',
        },
        state,
      ),
    ).toEqual([]);
  });

  it('refuses to change or cancel what never started', () => {
    expect(() =>
      decideSubscription(
        { type: 'CancelSubscription', commandId: 'x', at: start, when: 'now' },
        initialSubscriptionState(),
      ),
    ).toThrow(expect.objectContaining({ code: 'not-subscribed' }));
  });
});

describe('plan and subscription events, as stored', () => {
  it('come back from their JSON form as they were', () => {
    const published = decidePlan(
      {
        type: 'PublishPlanVersion',
        commandId: 'p',
        at: at('2027-01-01T00:00:00Z'),
        definition: starter,
        effectiveFrom: null,
      },
      initialPlanHistory(),
    );
    for (const event of published) {
      const { type, data } = planEventCodec.encode(event);
      expect(planEventCodec.decode(type, JSON.parse(JSON.stringify(data)))).toEqual(event);
    }
    const state = runSubscription(initialSubscriptionState(), {
      type: 'StartSubscription',
      commandId: 's',
      at: at('2027-01-31T09:00:00Z'),
      customerId: 'acme',
      plan: ref('starter'),
    });
    const events = [
      ...decideSubscription(
        {
          type: 'ChangeSubscriptionPlan',
          commandId: 'c',
          at: at('2027-02-01T00:00:00Z'),
          plan: ref('pro'),
        },
        state,
      ),
      ...decideSubscription(
        { type: 'CancelSubscription', commandId: 'x', at: at('2027-02-01T00:00:00Z'), when: 'now' },
        state,
      ),
    ];
    expect(events.map(({ type }) => type)).toEqual([
      'SubscriptionPlanChanged',
      'SubscriptionCanceled',
    ]);
    for (const event of events) {
      const { type, data } = subscriptionEventCodec.encode(event);
      expect(subscriptionEventCodec.decode(type, JSON.parse(JSON.stringify(data)))).toEqual(event);
    }
  });
});
