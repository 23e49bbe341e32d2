import { decide } from './decide';
import { evolve } from './evolve';
import { dueCommands, nextDueAt } from './schedule';
import type { WalletEvent } from './wallet-events';
import { DEFAULT_WALLET_POLICY, periodEndAfter } from './wallet-policy';
import { balanceAt, type OpenWalletState, type WalletState } from './wallet-state';
import { command, debit, given, open, policy } from './test-support/wallet-fixtures';

const utc = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** What the scheduler does at `now`: every due command, decided in turn on the state it leaves. */
function tick(
  state: OpenWalletState,
  now: Date,
  revision = 0n,
): { state: OpenWalletState; events: WalletEvent[] } {
  const events: WalletEvent[] = [];
  let current: WalletState = state;
  for (const next of dueCommands(state, now, revision)) {
    const decided = decide(next, current);
    events.push(...decided);
    current = decided.reduce(evolve, current);
  }
  return { state: current as OpenWalletState, events };
}

const grantsOfKind = (state: OpenWalletState, kind: string) =>
  [...state.grants.all()].filter((grant) => grant.kind === kind);

describe('the wallet schedule: time-driven commands', () => {
  it('counts calendar months in UTC, clamping to the last day', () => {
    expect(periodEndAfter(utc('2026-01-31'), { unit: 'month', count: 1 })).toEqual(
      utc('2026-02-28'),
    );
    expect(periodEndAfter(utc('2026-11-30'), { unit: 'month', count: 3 })).toEqual(
      utc('2027-02-28'),
    );
    expect(periodEndAfter(utc('2026-11-01'), { unit: 'day', count: 7 })).toEqual(utc('2026-11-08'));
  });

  it('month-end rollover with a 2x cap: unused allowance carries over until rollover credit reaches twice the allowance', () => {
    const monthly = policy(
      {
        allowance: { amount: 100n, every: { unit: 'month', count: 1 } },
        rollover: {
          mode: 'capped',
          capPercentOfAllowance: 200,
          fixedCap: null,
          expiresAfterMs: null,
        },
      },
      utc('2026-11-01'),
    );
    let state = given(open(utc('2026-11-01')), monthly);
    expect(nextDueAt(state)).toEqual(utc('2026-11-01'));

    state = tick(state, utc('2026-11-01')).state;
    expect(
      grantsOfKind(state, 'allowance').map((grant) => [grant.amount, grant.expiresAt]),
    ).toEqual([[100n, utc('2026-12-01')]]);
    const used = decide({ ...debit(30n), at: utc('2026-11-15') }, state).reduce<WalletState>(
      evolve,
      state,
    ) as OpenWalletState;
    expect(nextDueAt(used)).toEqual(utc('2026-12-01'));
    expect(tick(used, utc('2026-11-30')).events).toEqual([]);

    const december = tick(used, utc('2026-12-01'));
    expect(december.events.map((event) => event.type)).toEqual([
      'GrantExpired',
      'CreditsGranted',
      'CreditsGranted',
    ]);
    expect(grantsOfKind(december.state, 'rollover').map((grant) => grant.amount)).toEqual([70n]);

    const january = tick(december.state, utc('2027-01-01'), 1n);
    expect(grantsOfKind(january.state, 'rollover').map((grant) => grant.amount)).toEqual([
      70n,
      100n,
    ]);
    const february = tick(january.state, utc('2027-02-01'), 2n);
    // Cap 200: 170 already rolled over, so only 30 of the 100 unused carry on.
    expect(grantsOfKind(february.state, 'rollover').map((grant) => grant.amount)).toEqual([
      70n,
      100n,
      30n,
    ]);
    expect(balanceAt(february.state, utc('2027-02-01'))).toBe(200n + 100n);
  });

  it('times out a hold and expires a grant when they are due, and not before', () => {
    const state = given(
      open(),
      command('GrantCredits', {
        grantId: 'g',
        kind: 'purchased',
        amount: 50n,
        expiresAt: utc('2026-11-10'),
      }),
      command('PlaceHold', {
        holdId: 'h',
        amount: 20n,
        feature: 'gpu',
        expiresAt: utc('2026-11-02'),
      }),
    );
    expect(nextDueAt(state)).toEqual(utc('2026-11-02'));
    expect(dueCommands(state, utc('2026-11-01'), 3n)).toEqual([]);
    const afterHold = tick(state, utc('2026-11-02'));
    expect(afterHold.events.map((event) => event.type)).toEqual(['HoldExpired']);
    expect(nextDueAt(afterHold.state)).toEqual(utc('2026-11-10'));
    const afterGrant = tick(afterHold.state, utc('2026-11-10'), 4n);
    expect(afterGrant.events).toMatchObject([
      { type: 'GrantExpired', data: { grantId: 'g', amount: 50n } },
      { type: 'WalletDepleted' },
    ]);
    expect(nextDueAt(afterGrant.state)).toBeUndefined();
  });

  it('grants the current period once after missing several, not every missed one', () => {
    const state = given(
      open(utc('2026-11-01')),
      policy(
        { ...DEFAULT_WALLET_POLICY, allowance: { amount: 10n, every: { unit: 'day', count: 1 } } },
        utc('2026-11-01'),
      ),
    );
    const first = tick(state, utc('2026-11-01')).state;
    const resumed = tick(first, new Date('2026-11-05T12:00:00Z'), 1n);
    const allowances = grantsOfKind(resumed.state, 'allowance');
    expect(allowances.map((grant) => [grant.effectiveAt, grant.expiresAt])).toEqual([
      [utc('2026-11-01'), utc('2026-11-02')],
      [new Date('2026-11-05T12:00:00Z'), utc('2026-11-06')],
    ]);
  });
});
