import fc from 'fast-check';
import { decide } from './decide';
import { evolve } from './evolve';
import type { WalletCommand } from './wallet-commands';
import type { WalletEvent } from './wallet-events';
import { DEFAULT_WALLET_POLICY } from './wallet-policy';
import { initialState, type WalletState } from './wallet-state';
import {
  decodeWalletState,
  encodeWalletState,
  UndecodableWalletSnapshotError,
} from './wallet-state-codec';
import { WalletCommandRejected } from './wallet-rejection';

const T0 = Date.parse('2026-11-01T00:00:00Z');
const hour = 3_600_000;

const opening: readonly WalletCommand[] = [
  {
    type: 'OpenWallet',
    commandId: 'open',
    at: new Date(T0),
    walletId: 'w',
    customerId: 'c',
    name: 'C',
  },
  {
    type: 'ChangeWalletPolicy',
    commandId: 'policy',
    at: new Date(T0),
    policy: {
      ...DEFAULT_WALLET_POLICY,
      overdraft: { mode: 'allow-to-limit', limit: 500n },
      alerts: { balanceThresholds: [1_000n], allowanceUsedPercents: [50, 80] },
      autoTopUp: {
        threshold: 800n,
        amount: 5_000n,
        cooldownMs: hour,
        maxPerPeriod: 3,
        periodMs: 24 * hour,
      },
      rollover: {
        mode: 'capped',
        capPercentOfAllowance: 200,
        fixedCap: null,
        expiresAfterMs: 48 * hour,
      },
    },
  },
  { type: 'SetBudget', commandId: 'budget', at: new Date(T0), budgetId: 'team-a', cap: 3_000n },
];

/** A step: a command built from a hold/grant/period id pool and the running clock. */
const step = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('grant' as const),
      id: fc.nat(6),
      amount: fc.bigInt(1n, 4_000n),
      expires: fc.boolean(),
      scoped: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('debit' as const),
      id: fc.nat(30),
      amount: fc.bigInt(1n, 2_000n),
      budget: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('hold' as const),
      id: fc.nat(3),
      amount: fc.bigInt(1n, 2_000n),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('settle' as const),
      id: fc.nat(3),
      amount: fc.bigInt(0n, 3_000n),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('release' as const), id: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('expireHold' as const), id: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('expireGrant' as const), id: fc.nat(6) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('period' as const),
      id: fc.nat(3),
      amount: fc.bigInt(1n, 4_000n),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      hours: fc.integer({ min: 1, max: 30 }),
    }),
  },
);
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

function toCommands(steps: readonly Step[]): WalletCommand[] {
  let now = T0;
  const commands: WalletCommand[] = [];
  steps.forEach((next, index) => {
    const at = new Date(now);
    const commandId = `c${index}`;
    switch (next.kind) {
      case 'wait':
        now += next.hours * hour;
        return;
      case 'grant':
        commands.push({
          type: 'GrantCredits',
          commandId,
          at,
          grantId: `g${next.id}`,
          kind: 'purchased',
          amount: next.amount,
          expiresAt: next.expires ? new Date(now + 24 * hour) : null,
          scope: next.scoped ? ['images'] : [],
        });
        return;
      case 'debit':
        commands.push({
          type: 'DebitUsage',
          commandId: `usage:${next.id}`,
          at,
          usageEventId: `e${next.id}`,
          feature: 'text',
          amount: next.amount,
          budgetId: next.budget ? 'team-a' : null,
        });
        return;
      case 'hold':
        commands.push({
          type: 'PlaceHold',
          commandId,
          at,
          holdId: `h${next.id}`,
          amount: next.amount,
          feature: 'text',
          expiresAt: new Date(now + 2 * hour),
        });
        return;
      case 'settle':
        commands.push({
          type: 'SettleHold',
          commandId,
          at,
          holdId: `h${next.id}`,
          amount: next.amount,
        });
        return;
      case 'release':
        commands.push({ type: 'ReleaseHold', commandId, at, holdId: `h${next.id}` });
        return;
      case 'expireHold':
        commands.push({ type: 'ExpireHold', commandId, at, holdId: `h${next.id}` });
        return;
      case 'expireGrant':
        commands.push({ type: 'ExpireGrant', commandId, at, grantId: `g${next.id}` });
        return;
      case 'period':
        commands.push({
          type: 'StartAllowancePeriod',
          commandId,
          at,
          periodId: `p${next.id}`,
          amount: next.amount,
          periodEnd: new Date(now + 30 * 24 * hour),
        });
        return;
    }
  });
  return commands;
}

/** Decides each command in turn; refusals are part of the game and leave the state as it was. */
function decideAll(
  commands: readonly WalletCommand[],
  from: WalletState,
): { state: WalletState; events: WalletEvent[] } {
  let state = from;
  const events: WalletEvent[] = [];
  for (const command of commands) {
    try {
      const decided = decide(command, state);
      events.push(...decided);
      state = decided.reduce(evolve, state);
    } catch (error) {
      if (!(error instanceof WalletCommandRejected)) throw error;
      events.push({ refused: error.code } as unknown as WalletEvent);
    }
  }
  return { state, events };
}

const throughJson = (state: WalletState): WalletState =>
  decodeWalletState(
    JSON.parse(JSON.stringify(encodeWalletState(state))) as Record<string, unknown>,
  );

describe('wallet snapshots: the state codec (property-based)', () => {
  it('a state restored from its snapshot encodes the same and decides every later command the same way', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 10, maxLength: 60 }),
        fc.array(step, { maxLength: 20 }),
        (before, after) => {
          const { state } = decideAll([...opening, ...toCommands(before)], initialState());
          const restored = throughJson(state);
          expect(encodeWalletState(restored)).toEqual(encodeWalletState(state));
          const later = toCommands(after).map((command) => ({
            ...command,
            at: new Date(Math.max(command.at.getTime(), T0 + 200 * hour)),
          }));
          const original = decideAll([...toCommands(before), ...later], state);
          const fromSnapshot = decideAll([...toCommands(before), ...later], restored);
          expect(fromSnapshot.events).toEqual(original.events);
          expect(encodeWalletState(fromSnapshot.state)).toEqual(encodeWalletState(original.state));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('an unopened wallet round-trips, and a damaged snapshot is refused with the field named', () => {
    expect(throughJson(initialState())).toEqual(initialState());
    const { state } = decideAll(opening, initialState());
    const encoded = encodeWalletState(state) as Record<string, unknown>;
    expect(() => decodeWalletState({ ...encoded, overage: 'lots' })).toThrow(
      UndecodableWalletSnapshotError,
    );
    expect(() => decodeWalletState({ ...encoded, overage: 'lots' })).toThrow(/overage/);
    expect(() => decodeWalletState({ ...encoded, commandTimesMs: [] })).toThrow(/commandIds/);
    expect(() => decodeWalletState({ status: 'closed' })).toThrow(/status/);
  });
});
