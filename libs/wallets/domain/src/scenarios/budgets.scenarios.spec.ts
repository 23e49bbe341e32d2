import { decide } from '../decide';
import type { OpenWalletState } from '../wallet-state';
import { balanceAt } from '../wallet-state';
import {
  andThen,
  budget,
  credits,
  debit,
  given,
  grant,
  hold,
  open,
  release,
  settle,
  T0,
  when,
  rejectedWith,
} from '../test-support/wallet-fixtures';

/** An org pool of 100 credits; team-a may spend at most 10 of them. */
const orgPool = (): OpenWalletState =>
  given(open(), grant('org', credits(100)), budget('team-a', credits(10)));

describe('budgets: a team spends from the org pool, within its cap', () => {
  it('SetBudget gives a team a cap on the pool, with nothing used yet', () => {
    const { events, state } = when(
      given(open(), grant('org', credits(100))),
      budget('team-a', credits(10)),
    );

    expect(events).toMatchObject([
      { type: 'BudgetSet', data: { budgetId: 'team-a', cap: credits(10) } },
    ]);
    expect(state.budgets.get('team-a')).toEqual({ budgetId: 'team-a', cap: credits(10), used: 0n });
  });

  it('a team debit draws from the org grants and counts against the team budget', () => {
    const { events, state } = when(orgPool(), debit(credits(4), { budgetId: 'team-a' }));

    expect(events[0]).toMatchObject({
      type: 'UsageDebited',
      data: { budgetId: 'team-a', allocations: [{ grantId: 'org', amount: credits(4) }] },
    });
    expect(balanceAt(state, T0)).toBe(credits(96));
    expect(state.budgets.get('team-a')?.used).toBe(credits(4));
  });

  it('a team debit beyond its cap is refused though the pool has credit; up to the cap is fine', () => {
    const wallet = andThen(orgPool(), debit(credits(4), { budgetId: 'team-a' }));

    expect(() => decide(debit(credits(6) + 1n, { budgetId: 'team-a' }), wallet)).toThrow(
      rejectedWith('budget-exceeded'),
    );
    const { state } = when(wallet, debit(credits(6), { budgetId: 'team-a' }));
    expect(state.budgets.get('team-a')?.used).toBe(credits(10));
  });

  it('a debit without a budget is not limited by any team cap', () => {
    const wallet = andThen(orgPool(), debit(credits(10), { budgetId: 'team-a' }));

    expect(when(wallet, debit(credits(50))).events[0]).toMatchObject({
      type: 'UsageDebited',
      data: { budgetId: null },
    });
  });

  it('the pool balance still limits a team within its cap', () => {
    const small = given(open(), grant('org', credits(5)), budget('team-a', credits(10)));

    expect(() => decide(debit(credits(6), { budgetId: 'team-a' }), small)).toThrow(
      rejectedWith('insufficient-credits'),
    );
  });

  it('an active hold counts against the budget, and releasing it gives the room back', () => {
    const held = andThen(orgPool(), hold('h', credits(8), { budgetId: 'team-a' }));
    expect(held.budgets.get('team-a')?.used).toBe(credits(8));

    expect(() => decide(debit(credits(3), { budgetId: 'team-a' }), held)).toThrow(
      rejectedWith('budget-exceeded'),
    );
    const released = andThen(held, release('h'));
    expect(released.budgets.get('team-a')?.used).toBe(0n);
    expect(when(released, debit(credits(3), { budgetId: 'team-a' })).events[0]).toMatchObject({
      type: 'UsageDebited',
    });
  });

  it('a settled hold counts what it burned against the budget, not what it reserved', () => {
    const settled = andThen(
      orgPool(),
      hold('h', credits(8), { budgetId: 'team-a' }),
      settle('h', credits(5)),
    );

    expect(settled.budgets.get('team-a')?.used).toBe(credits(5));
  });

  it('settling above the hold is refused when the extra would take the team over its cap', () => {
    const held = andThen(orgPool(), hold('h', credits(8), { budgetId: 'team-a' }));

    expect(() => decide(settle('h', credits(10) + 1n), held)).toThrow(
      rejectedWith('budget-exceeded'),
    );
    expect(when(held, settle('h', credits(10))).state.budgets.get('team-a')?.used).toBe(
      credits(10),
    );
  });

  it('lowering a cap below what the team used keeps the record and stops further team spending', () => {
    const lowered = andThen(
      orgPool(),
      debit(credits(4), { budgetId: 'team-a' }),
      budget('team-a', credits(2)),
    );

    expect(lowered.budgets.get('team-a')).toEqual({
      budgetId: 'team-a',
      cap: credits(2),
      used: credits(4),
    });
    expect(() => decide(debit(1n, { budgetId: 'team-a' }), lowered)).toThrow(
      rejectedWith('budget-exceeded'),
    );
  });

  it('a debit naming a budget that was never set is refused', () => {
    expect(() => decide(debit(credits(1), { budgetId: 'team-z' }), orgPool())).toThrow(
      rejectedWith('budget-not-found'),
    );
  });
});
