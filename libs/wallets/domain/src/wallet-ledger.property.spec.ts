import fc from 'fast-check';
import { decide } from './decide';
import { decodeWalletEvent, encodeWalletEvent } from './wallet-event-codec';
import { encodeWalletState } from './wallet-state-codec';
import type { WalletCommand } from './wallet-commands';
import type { WalletEvent } from './wallet-events';
import { evolve, foldWalletEvents } from './evolve';
import { DEFAULT_WALLET_POLICY } from './wallet-policy';
import { balanceOf, initialState, type WalletState } from './wallet-state';

const at = new Date('2026-11-01T00:00:00Z');
const open: WalletCommand = {
  type: 'OpenWallet',
  commandId: 'c-open',
  walletId: 'w',
  customerId: 'c',
  name: 'C',
  at,
};
// Unlimited overdraft: every debit lands, so the balance identity can be checked on any sequence.
const lenient: WalletCommand = {
  type: 'ChangeWalletPolicy',
  commandId: 'c-policy',
  at,
  policy: { ...DEFAULT_WALLET_POLICY, overdraft: { mode: 'allow-to-limit', limit: 10n ** 18n } },
};

// Few distinct ids, so repeats (retries, redeliveries) are common.
const grantCommand = fc
  .record({ id: fc.integer({ min: 1, max: 8 }), amount: fc.bigInt({ min: 1n, max: 10n ** 15n }) })
  .map(({ id, amount }): WalletCommand => ({
    type: 'GrantCredits',
    commandId: `grant-${id}`,
    grantId: `g${id}`,
    kind: 'purchased',
    amount,
    at,
  }));
const debitCommand = fc
  .record({ id: fc.integer({ min: 1, max: 20 }), amount: fc.bigInt({ min: 0n, max: 10n ** 15n }) })
  .map(({ id, amount }): WalletCommand => ({
    type: 'DebitUsage',
    commandId: `usage:e${id}`,
    usageEventId: `e${id}`,
    feature: 't',
    amount,
    at,
  }));
const history = fc.array(fc.oneof(grantCommand, debitCommand), { maxLength: 60 });

interface Run {
  readonly state: WalletState;
  readonly events: readonly WalletEvent[];
  readonly firstAmountById: ReadonlyMap<string, { readonly type: string; readonly amount: bigint }>;
}

function run(commands: readonly WalletCommand[]): Run {
  let state = initialState();
  const events: WalletEvent[] = [];
  const firstAmountById = new Map<string, { type: string; amount: bigint }>();
  for (const command of [open, lenient, ...commands]) {
    const decided = decide(command, state);
    events.push(...decided);
    state = decided.reduce(evolve, state);
    if (
      (command.type === 'GrantCredits' || command.type === 'DebitUsage') &&
      !firstAmountById.has(command.commandId)
    ) {
      firstAmountById.set(command.commandId, { type: command.type, amount: command.amount });
    }
  }
  return { state, events, firstAmountById };
}

const opened = (state: WalletState) => {
  if (state.status !== 'open') throw new Error('wallet not open');
  return state;
};

describe('wallet ledger invariants (property-based)', () => {
  it('balance = first grants − first debits, whatever the order and the repeats', () => {
    fc.assert(
      fc.property(history, (commands) => {
        const { state, firstAmountById } = run(commands);
        let expected = 0n;
        for (const { type, amount } of firstAmountById.values())
          expected += type === 'GrantCredits' ? amount : -amount;
        expect(balanceOf(opened(state))).toBe(expected);
      }),
    );
  });

  it('every debit is fully accounted for: allocations + unpaid = amount, and no grant goes below zero', () => {
    fc.assert(
      fc.property(history, (commands) => {
        const { state, events } = run(commands);
        for (const event of events) {
          if (event.type !== 'UsageDebited') continue;
          const allocated = event.data.allocations.reduce(
            (sum, allocation) => sum + allocation.amount,
            0n,
          );
          expect(allocated + event.data.overdraft).toBe(event.data.amount);
          expect(event.data.allocations.every((allocation) => allocation.amount > 0n)).toBe(true);
        }
        for (const grant of opened(state).grants.all()) {
          expect(grant.remaining >= 0n && grant.remaining <= grant.amount).toBe(true);
        }
      }),
    );
  });

  it('a command already applied decides nothing', () => {
    fc.assert(
      fc.property(history, (commands) => {
        const { state } = run(commands);
        for (const command of commands) expect(decide(command, state)).toEqual([]);
      }),
    );
  });

  it('replaying the stored (JSON-encoded) events rebuilds the same state', () => {
    fc.assert(
      fc.property(history, (commands) => {
        const { state, events } = run(commands);
        const replayed = events
          .map(
            (event) =>
              JSON.parse(JSON.stringify(encodeWalletEvent(event))) as ReturnType<
                typeof encodeWalletEvent
              >,
          )
          .map((stored) => decodeWalletEvent(stored.type, stored.data))
          .reduce(evolve, initialState());
        expect(encodeWalletState(replayed)).toEqual(encodeWalletState(state));
      }),
    );
  });

  it('folding as one batch gives the same state as evolving one by one, and leaves earlier states untouched', () => {
    fc.assert(
      fc.property(history, fc.nat(), (commands, cut) => {
        const { events } = run(commands);
        const split = events.length === 0 ? 0 : cut % events.length;
        const midway = events.slice(0, split).reduce<WalletState>(evolve, initialState());
        const midwaySnapshot = encodeWalletEventsSeenBy(midway);
        const batched = foldWalletEvents(events.slice(split), midway);
        // Compared in the snapshot form: the batch keeps its indexes differently, not its state.
        expect(encodeWalletState(batched)).toEqual(
          encodeWalletState(events.reduce<WalletState>(evolve, initialState())),
        );
        expect(encodeWalletEventsSeenBy(midway)).toEqual(midwaySnapshot);
      }),
    );
  });
});

/** A deep, comparable picture of a state's grants and remembered command ids. */
function encodeWalletEventsSeenBy(state: WalletState): unknown {
  if (state.status !== 'open') return state;
  return {
    grants: [...state.grants.all()],
    commands: [...state.commands.entries()],
    balance: balanceOf(state),
  };
}
