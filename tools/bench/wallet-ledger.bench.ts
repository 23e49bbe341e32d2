import {
  decide,
  evolve,
  foldWalletEvents,
  initialState,
  DEFAULT_WALLET_POLICY,
  decodeWalletState,
  encodeWalletState,
  type OpenWalletState,
  type WalletCommand,
  type WalletEvent,
  type WalletState,
} from '@burndown/wallet-domain';
import { formatRate, machineLine, median, timeRuns, verdict } from './bench-support';

// Issue 3's performance goals for the wallet decider, measured in one process on this machine.
const RUNS = 5;
const at = new Date('2026-11-01T00:00:00Z');
const later = (ms: number): Date => new Date(at.getTime() + ms);

function walletWith(grantCount: number, amountEach: bigint): OpenWalletState {
  const commands: WalletCommand[] = [
    { type: 'OpenWallet', commandId: 'open', at, walletId: 'w', customerId: 'c', name: 'bench' },
    // The default policy (block, 80% allowance alert, depleted/recovered alerts) plus one threshold.
    {
      type: 'ChangeWalletPolicy',
      commandId: 'policy',
      at,
      policy: {
        ...DEFAULT_WALLET_POLICY,
        alerts: { balanceThresholds: [1_000_000n], allowanceUsedPercents: [80] },
      },
    },
  ];
  for (let index = 0; index < grantCount; index++) {
    commands.push({
      type: 'GrantCredits',
      commandId: `grant-${index}`,
      at,
      grantId: `g${index}`,
      kind: index % 2 === 0 ? 'purchased' : 'promotional',
      amount: amountEach,
      expiresAt: later(86_400_000 * (1 + (index % 365))),
      costBasis: { currency: 'USD', microsPerCredit: BigInt(index % 7) * 100_000n },
    });
  }
  const state = commands.reduce<WalletState>(
    (current, command) => decide(command, current).reduce(evolve, current),
    initialState(),
  );
  return state as OpenWalletState;
}

/** A million debits `spacingMs` apart, decided one by one on a wallet with 100 grants. */
function millionDebits(spacingMs: number): { start: OpenWalletState; events: WalletEvent[] } {
  const start = walletWith(100, 10n ** 15n);
  const events: WalletEvent[] = [];
  let state: WalletState = start;
  for (let index = 0; events.length < 1_000_000; index++) {
    const decided = decide(
      {
        type: 'DebitUsage',
        commandId: `u${index}`,
        at: later(index * spacingMs),
        usageEventId: `u${index}`,
        feature: 'llm.tokens',
        amount: 1_000n,
      },
      state,
    );
    events.push(...decided);
    state = decided.reduce(evolve, state);
  }
  return { start, events };
}

function benchFold(): void {
  // 1 ms apart: every command id stays inside the dedupe horizon, so the fold indexes all million.
  const { start, events } = millionDebits(1);
  const times = timeRuns(RUNS, () => foldWalletEvents(events, start));
  const rate = events.length / (median(times) / 1000);
  console.log(
    `fold: ${events.length.toLocaleString('en-US')} UsageDebited events, median ${median(times).toFixed(0)} ms → ${formatRate(rate)} (goal ≥ 1,000,000/s: ${verdict(rate, 1_000_000)})`,
  );
  // A replay that then decides also builds the index of command ids the fold defers.
  const repeat: WalletCommand = {
    type: 'DebitUsage',
    commandId: 'u0',
    at: later(2_000_000),
    usageEventId: 'u0',
    feature: 'llm.tokens',
    amount: 1_000n,
  };
  const decided = timeRuns(RUNS, () => {
    if (decide(repeat, foldWalletEvents(events, start)).length !== 0)
      throw new Error('a repeated command was not recognised');
  });
  console.log(
    `  replay + first decision (builds the command-id index of ${events.length.toLocaleString('en-US')} ids): median ${median(decided).toFixed(0)} ms`,
  );
}

function benchSnapshotLoad(): void {
  // A million debits over ~58 days (grants last up to 100): the 35-day dedupe horizon keeps ~600,000 ids.
  const { start, events } = millionDebits(5_000);
  const tail = 500;
  const atSnapshot = foldWalletEvents(events.slice(0, -tail), start);
  const snapshot = JSON.stringify(encodeWalletState(atSnapshot));
  // Both followed by one decision, so both pay for the command-id index the decision needs.
  const repeat: WalletCommand = {
    type: 'DebitUsage',
    commandId: `u${events.length - 1}`,
    at: later(6_000_000_000),
    usageEventId: 'r',
    feature: 'llm.tokens',
    amount: 1n,
  };
  const decideOn = (state: WalletState): void => {
    if (decide(repeat, state).length !== 0)
      throw new Error('a repeated command was not recognised');
  };
  const full = timeRuns(RUNS, () => decideOn(foldWalletEvents(events, start)));
  const fromSnapshot = timeRuns(RUNS, () =>
    decideOn(
      foldWalletEvents(
        events.slice(-tail),
        decodeWalletState(JSON.parse(snapshot) as Record<string, unknown>),
      ),
    ),
  );
  console.log(
    `load a wallet of ${events.length.toLocaleString('en-US')} events and decide: replay all median ${median(full).toFixed(0)} ms; ` +
      `snapshot (${(snapshot.length / 1e6).toFixed(1)} MB JSON) + ${tail} events median ${median(fromSnapshot).toFixed(0)} ms`,
  );
}

function benchSpanningDebit(): void {
  const state = walletWith(3, 1_000n);
  const decisions = 500_000;
  const command: WalletCommand = {
    type: 'DebitUsage',
    commandId: 'span',
    at,
    usageEventId: 'span',
    feature: 'llm.tokens',
    amount: 2_500n,
  };
  const [event] = decide(command, state);
  if (event?.type !== 'UsageDebited' || event.data.allocations.length !== 3)
    throw new Error('the debit does not span three grants');
  const times = timeRuns(RUNS, () => {
    for (let index = 0; index < decisions; index++) decide(command, state);
  });
  const rate = decisions / (median(times) / 1000);
  console.log(
    `decide: debit spanning 3 grants, ${decisions.toLocaleString('en-US')} decisions, median ${median(times).toFixed(0)} ms → ${formatRate(rate)} (goal ≥ 500,000/s: ${verdict(rate, 500_000)})`,
  );
}

function benchDebitAgainstManyGrants(): void {
  const perDebit: { grants: number; micros: number }[] = [];
  for (const grants of [10, 100, 1_000, 10_000]) {
    const state = walletWith(grants, 10n ** 12n);
    const debits = 20_000;
    const times = timeRuns(RUNS, () => {
      let current: WalletState = state;
      for (let index = 0; index < debits; index++) {
        const events = decide(
          {
            type: 'DebitUsage',
            commandId: `d${index}`,
            at,
            usageEventId: `d${index}`,
            feature: 'llm.tokens',
            amount: 1_000n,
          },
          current,
        );
        current = events.reduce(evolve, current);
      }
    });
    perDebit.push({ grants, micros: (median(times) * 1000) / debits });
  }
  for (const { grants, micros } of perDebit) {
    console.log(
      `debit (decide + evolve) with ${grants.toLocaleString('en-US').padStart(6)} live grants: median ${micros.toFixed(2)} µs`,
    );
  }
  const small = perDebit[0] as { micros: number };
  const large = perDebit.at(-1) as { micros: number };
  const growth = large.micros / small.micros;
  console.log(
    `  10,000 vs 10 grants: ${growth.toFixed(2)}× the cost for 1,000× the grants (goal: not linear: ${verdict(growth, 100, false)})`,
  );
}

console.log(`wallet ledger benchmark — ${machineLine()}, medians of ${RUNS} runs after a warm-up`);
// The per-decision figures first, before the million-event folds have grown the heap.
benchSpanningDebit();
benchDebitAgainstManyGrants();
benchFold();
benchSnapshotLoad();
