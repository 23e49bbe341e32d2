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
  settle,
  T0,
  when,
  rejectedWith,
} from '../test-support/wallet-fixtures';

const allowToLimit = (limit: bigint) => policy({ overdraft: { mode: 'allow-to-limit', limit } });

describe('overdraft: what happens at the edge of the balance', () => {
  describe('block (the default)', () => {
    it('a debit of exactly the balance succeeds and leaves nothing', () => {
      const { events, state } = when(given(open(), grant('g', credits(10))), debit(credits(10)));

      expect(events[0]).toMatchObject({ type: 'UsageDebited', data: { overdraft: 0n } });
      expect(balanceAt(state, T0)).toBe(0n);
    });

    it('one micro-credit more than the balance is refused', () => {
      expect(() => decide(debit(credits(10) + 1n), given(open(), grant('g', credits(10))))).toThrow(
        rejectedWith('insufficient-credits'),
      );
    });

    it('an empty wallet refuses any debit but one of zero', () => {
      const empty = given(open());

      expect(() => decide(debit(1n), empty)).toThrow(rejectedWith('insufficient-credits'));
      expect(when(empty, debit(0n)).events[0]).toMatchObject({
        type: 'UsageDebited',
        data: { amount: 0n, allocations: [] },
      });
    });
  });

  describe('allow-to-limit', () => {
    const lenient = () => given(open(), allowToLimit(credits(5)), grant('g', credits(10)));

    it('with limit L, a debit may take the balance down to exactly −L; the uncovered part is overdraft, owed as overage', () => {
      const { events, state } = when(lenient(), debit(credits(15)));

      expect(events[0]).toMatchObject({
        type: 'UsageDebited',
        data: {
          amount: credits(15),
          allocations: [{ grantId: 'g', amount: credits(10) }],
          overdraft: credits(5),
        },
      });
      expect(balanceAt(state, T0)).toBe(-credits(5));
      expect(state.overage).toBe(credits(5));
    });

    it('with limit L, one micro-credit past −L is refused', () => {
      expect(() => decide(debit(credits(15) + 1n), lenient())).toThrow(
        rejectedWith('insufficient-credits'),
      );
      const atLimit = andThen(lenient(), debit(credits(15)));
      expect(() => decide(debit(1n), atLimit)).toThrow(rejectedWith('insufficient-credits'));
    });

    it('new credit after an overdraft is spendable, while the overage stays owed and the limit still holds', () => {
      const wallet = andThen(lenient(), debit(credits(15)), grant('top-up', credits(2)));
      expect(balanceAt(wallet, T0)).toBe(-credits(3));

      const { events, state } = when(wallet, debit(credits(2)));
      expect(events[0]).toMatchObject({
        data: { allocations: [{ grantId: 'top-up', amount: credits(2) }], overdraft: 0n },
      });
      expect(state.overage).toBe(credits(5));
      expect(() => decide(debit(1n), state)).toThrow(rejectedWith('insufficient-credits'));
    });

    it('a hold counts against the limit too: its uncovered part is overdraft, billed when it settles', () => {
      const { events, state } = when(lenient(), hold('h', credits(12)));
      expect(events[0]).toMatchObject({
        type: 'CreditsHeld',
        data: { earmarks: [{ grantId: 'g', amount: credits(10) }], overdraft: credits(2) },
      });
      expect(availableAt(state, T0)).toBe(-credits(2));
      expect(balanceAt(state, T0)).toBe(credits(10));

      expect(() => decide(debit(credits(3) + 1n), state)).toThrow(
        rejectedWith('insufficient-credits'),
      );
      const settled = when(state, settle('h', credits(12)));
      expect(settled.events[0]).toMatchObject({ data: { overdraft: credits(2) } });
      expect(balanceAt(settled.state, T0)).toBe(-credits(2));
      expect(settled.state.overage).toBe(credits(2));
    });

    it('a limit of zero allows no overdraft at all', () => {
      const wallet = given(open(), allowToLimit(0n), grant('g', credits(10)));

      expect(() => decide(debit(credits(10) + 1n), wallet)).toThrow(
        rejectedWith('insufficient-credits'),
      );
      expect(when(wallet, debit(credits(10))).events[0]).toMatchObject({ data: { overdraft: 0n } });
    });

    it('usage no grant in scope covers is overdraft, within the limit, even while image-only credit keeps the balance positive', () => {
      const wallet = given(
        open(),
        allowToLimit(credits(5)),
        grant('images-only', credits(10), { scope: ['images'] }),
      );

      const { events, state } = when(wallet, debit(credits(5), { feature: 'llm.tokens' }));
      expect(events[0]).toMatchObject({ data: { allocations: [], overdraft: credits(5) } });
      expect(balanceAt(state, T0)).toBe(credits(5));
      expect(state.overage).toBe(credits(5));

      expect(() => decide(debit(1n, { feature: 'llm.tokens' }), state)).toThrow(
        rejectedWith('insufficient-credits'),
      );
      expect(when(state, debit(credits(5), { feature: 'images' })).events[0]).toMatchObject({
        data: { allocations: [{ grantId: 'images-only', amount: credits(5) }], overdraft: 0n },
      });
    });
  });
});
