import { decide } from '../decide';
import { availableAt, balanceAt } from '../wallet-state';
import {
  andThen,
  credits,
  debit,
  given,
  grant,
  hold,
  open,
  policy,
  T0,
  when,
  rejectedWith,
  settleOverage,
} from '../test-support/wallet-fixtures';

/** Rated usage from the pipeline: the compute was spent before the wallet heard of it. */
const spent = (amount: bigint) => debit(amount, { alreadyHappened: true });
const allowToLimit = (limit: bigint) => policy({ overdraft: { mode: 'allow-to-limit', limit } });

describe('usage that already happened is always booked, whatever the policy', () => {
  it('under block, what no grant covers is owed as overage and marked uncovered, where a debit request is refused', () => {
    const wallet = given(open(), grant('g', credits(10)));
    expect(() => decide(debit(credits(12)), wallet)).toThrow(rejectedWith('insufficient-credits'));

    const { events, state } = when(wallet, spent(credits(12)));

    expect(events[0]).toMatchObject({
      type: 'UsageDebited',
      data: {
        amount: credits(12),
        allocations: [{ grantId: 'g', amount: credits(10) }],
        overdraft: credits(2),
        uncovered: credits(2),
      },
    });
    expect(balanceAt(state, T0)).toBe(-credits(2));
    expect(state.overage).toBe(credits(2));
  });

  it('an empty block wallet books the whole amount, and new debit requests stay refused until credit arrives', () => {
    const owing = andThen(given(open()), spent(credits(3)));
    expect(owing.overage).toBe(credits(3));
    expect(() => decide(debit(1n), owing)).toThrow(rejectedWith('insufficient-credits'));

    const toppedUp = andThen(owing, grant('top-up', credits(5)));
    expect(balanceAt(toppedUp, T0)).toBe(credits(2));
  });

  it('under allow-to-limit, the part within the limit is plain overage and only what passes the limit is uncovered', () => {
    const wallet = given(open(), allowToLimit(credits(5)), grant('g', credits(10)));

    const { events, state } = when(wallet, spent(credits(18)));

    expect(events[0]).toMatchObject({ data: { overdraft: credits(8), uncovered: credits(3) } });
    expect(state.overage).toBe(credits(8));
    // The limit is used up: everything further is uncovered.
    expect(when(state, spent(credits(1))).events[0]).toMatchObject({
      data: { overdraft: credits(1), uncovered: credits(1) },
    });
  });

  it('what an active hold promised as overdraft counts against the limit', () => {
    const wallet = andThen(
      given(open(), allowToLimit(credits(5)), grant('g', credits(10))),
      hold('h', credits(13)),
    );
    expect(wallet.holdOverdraftTotal).toBe(credits(3));

    const { events } = when(wallet, spent(credits(4)));

    // The hold earmarked all of g: the debit draws nothing from it and the limit has 2 left.
    expect(events[0]).toMatchObject({ data: { overdraft: credits(4), uncovered: credits(2) } });
  });

  it('covered usage books no overage at all', () => {
    const { events, state } = when(given(open(), grant('g', credits(10))), spent(credits(10)));

    expect(events[0]).toMatchObject({ data: { overdraft: 0n, uncovered: 0n } });
    expect(availableAt(state, T0)).toBe(0n);
  });

  it('an invalid amount is still refused: it goes to dead letters, not to the ledger', () => {
    expect(() => decide(spent(-1n), given(open()))).toThrow(rejectedWith('invalid-amount'));
  });

  describe('settling owed overage', () => {
    const owing = () => andThen(given(open()), spent(credits(5)));

    it('billed or written off, it leaves the wallet and the balance rises by as much, in steps', () => {
      const { events, state } = when(owing(), settleOverage('s1', credits(3)));
      expect(events[0]).toMatchObject({
        type: 'OverageSettled',
        data: { settlementId: 's1', amount: credits(3), outcome: 'invoiced' },
      });
      expect(state.overage).toBe(credits(2));
      expect(balanceAt(state, T0)).toBe(-credits(2));

      const forgiven = andThen(state, settleOverage('s2', credits(2), { outcome: 'written-off' }));
      expect(forgiven.overage).toBe(0n);
      expect(balanceAt(forgiven, T0)).toBe(0n);
    });

    it('never settles more than is owed, so a settlement cannot become free credit', () => {
      expect(() => decide(settleOverage('s1', credits(5) + 1n), owing())).toThrow(
        rejectedWith('invalid-amount'),
      );
      expect(() => decide(settleOverage('s1', 0n), owing())).toThrow(
        rejectedWith('invalid-amount'),
      );
    });

    it('refuses an outcome it does not know', () => {
      const unknown = settleOverage('s1', 1n, { outcome: 'lost' as 'invoiced' });
      expect(() => decide(unknown, owing())).toThrow(rejectedWith('invalid-amount'));
    });
  });
});
