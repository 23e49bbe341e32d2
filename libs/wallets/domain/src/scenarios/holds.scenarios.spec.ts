import { decide } from '../decide';
import type { WalletCommand } from '../wallet-commands';
import { availableAt, balanceAt, type OpenWalletState } from '../wallet-state';
import {
  andThen,
  credits,
  debit,
  expireHold,
  given,
  grant,
  hold,
  ledgerAt,
  minutes,
  open,
  policy,
  release,
  settle,
  T0,
  when,
  rejectedWith,
} from '../test-support/wallet-fixtures';

/** A wallet with one 10-credit grant and a 4-credit hold `h1` on it, expiring at minute 30. */
const withHold = (): OpenWalletState =>
  given(open(), grant('g', credits(10)), hold('h1', credits(4)));

describe('holds: reserve before the job, burn what it used after', () => {
  it('placing a hold earmarks credit: available drops by the hold, the balance does not', () => {
    const wallet = given(open(), grant('g', credits(10)));

    const { events, state } = when(wallet, hold('h1', credits(4), { expiresAt: minutes(30) }));

    expect(events).toMatchObject([
      {
        type: 'CreditsHeld',
        data: {
          holdId: 'h1',
          amount: credits(4),
          earmarks: [{ grantId: 'g', amount: credits(4) }],
          overdraft: 0n,
        },
      },
    ]);
    expect(balanceAt(state, T0)).toBe(credits(10));
    expect(availableAt(state, T0)).toBe(credits(6));
    expect(state.grants.get('g')).toMatchObject({ remaining: credits(6), held: credits(4) });
  });

  it('earmarked credit cannot be spent by other usage while the hold is active', () => {
    const wallet = given(open(), grant('g', credits(10)), hold('h1', credits(8)));

    expect(() => decide(debit(credits(3)), wallet)).toThrow(rejectedWith('insufficient-credits'));
    expect(when(wallet, debit(credits(2))).events[0]).toMatchObject({ type: 'UsageDebited' });
  });

  it('settling below the hold burns what the job used and releases the rest', () => {
    const { events, state } = when(withHold(), settle('h1', credits(3)));

    expect(events).toMatchObject([
      {
        type: 'HoldSettled',
        data: {
          holdId: 'h1',
          amount: credits(3),
          allocations: [{ grantId: 'g', amount: credits(3) }],
          released: [{ grantId: 'g', amount: credits(1) }],
          overdraft: 0n,
        },
      },
    ]);
    expect(balanceAt(state, T0)).toBe(credits(7));
    expect(availableAt(state, T0)).toBe(credits(7));
    expect(state.grants.get('g')).toMatchObject({ remaining: credits(7), held: 0n });
    expect(state.resolvedHolds.get('h1')).toBe('settled');
  });

  it('settling exactly the hold burns all of it and releases nothing', () => {
    const { events, state } = when(withHold(), settle('h1', credits(4)));

    expect(events[0]).toMatchObject({
      data: { allocations: [{ grantId: 'g', amount: credits(4) }], released: [], overdraft: 0n },
    });
    expect(balanceAt(state, T0)).toBe(credits(6));
    expect(availableAt(state, T0)).toBe(credits(6));
  });

  it('settling above the hold burns the earmark and debits the extra like ordinary usage, in drawdown order', () => {
    const wallet = given(
      open(),
      grant('first', credits(4)),
      grant('second', credits(10)),
      hold('h1', credits(4)),
    );

    const { events, state } = when(wallet, settle('h1', credits(6)));

    expect(events[0]).toMatchObject({
      type: 'HoldSettled',
      data: {
        amount: credits(6),
        allocations: [
          { grantId: 'first', amount: credits(4) },
          { grantId: 'second', amount: credits(2) },
        ],
        released: [],
        overdraft: 0n,
      },
    });
    expect(balanceAt(state, T0)).toBe(credits(8));
    expect(availableAt(state, T0)).toBe(credits(8));
  });

  it('under block, settling above the hold is refused when the extra is not available, and the hold stays active to be settled within it', () => {
    const wallet = andThen(withHold(), debit(credits(5)));
    expect(availableAt(wallet, T0)).toBe(credits(1));

    expect(() => decide(settle('h1', credits(6)), wallet)).toThrow(
      rejectedWith('insufficient-credits'),
    );
    expect(wallet.holds.has('h1')).toBe(true);
    const { events, state } = when(wallet, settle('h1', credits(5)));
    expect(events[0]).toMatchObject({
      type: 'HoldSettled',
      data: { allocations: [{ grantId: 'g', amount: credits(5) }] },
    });
    expect(balanceAt(state, T0)).toBe(0n);
  });

  it('under allow-to-limit, the extra beyond the hold may run into overdraft up to the limit', () => {
    const wallet = given(
      open(),
      policy({ overdraft: { mode: 'allow-to-limit', limit: credits(3) } }),
      grant('g', credits(10)),
      hold('h1', credits(4)),
      debit(credits(6)),
    );

    expect(() => decide(settle('h1', credits(7) + 1n), wallet)).toThrow(
      rejectedWith('insufficient-credits'),
    );
    const { events, state } = when(wallet, settle('h1', credits(7)));
    expect(events[0]).toMatchObject({
      data: { allocations: [{ grantId: 'g', amount: credits(4) }], overdraft: credits(3) },
    });
    expect(balanceAt(state, T0)).toBe(-credits(3));
    expect(state.overage).toBe(credits(3));
  });

  it('releasing a hold gives every earmarked credit back', () => {
    const { events, state } = when(withHold(), release('h1'));

    expect(events).toMatchObject([
      {
        type: 'HoldReleased',
        data: { holdId: 'h1', released: [{ grantId: 'g', amount: credits(4) }] },
      },
    ]);
    expect(availableAt(state, T0)).toBe(credits(10));
    expect(state.grants.get('g')).toMatchObject({ remaining: credits(10), held: 0n });
    expect(state.resolvedHolds.get('h1')).toBe('released');
  });

  it('a hold times out: ExpireHold is refused before its expiry and gives the credit back at or after it', () => {
    const wallet = withHold();

    expect(() => decide(expireHold('h1', minutes(29)), wallet)).toThrow(
      rejectedWith('hold-not-expired'),
    );
    for (const at of [minutes(30), minutes(45)]) {
      const { events, state } = when(wallet, expireHold('h1', at));
      expect(events).toMatchObject([
        {
          type: 'HoldExpired',
          data: { holdId: 'h1', released: [{ grantId: 'g', amount: credits(4) }] },
        },
      ]);
      expect(availableAt(state, at)).toBe(credits(10));
      expect(state.resolvedHolds.get('h1')).toBe('expired');
    }
  });

  it.each<[string, (wallet: OpenWalletState) => OpenWalletState, WalletCommand, string]>([
    [
      'settle after release',
      (w) => andThen(w, release('h1')),
      settle('h1', credits(1)),
      'released',
    ],
    ['release after settle', (w) => andThen(w, settle('h1', credits(1))), release('h1'), 'settled'],
    [
      'settle twice',
      (w) => andThen(w, settle('h1', credits(1))),
      settle('h1', credits(1)),
      'settled',
    ],
    ['release twice', (w) => andThen(w, release('h1')), release('h1'), 'released'],
    [
      'expire after settle',
      (w) => andThen(w, settle('h1', credits(1))),
      expireHold('h1', minutes(31)),
      'settled',
    ],
    [
      'settle after expiry',
      (w) => andThen(w, expireHold('h1', minutes(30))),
      settle('h1', credits(1), { at: minutes(31) }),
      'expired',
    ],
    [
      'release after expiry',
      (w) => andThen(w, expireHold('h1', minutes(30))),
      release('h1', { at: minutes(31) }),
      'expired',
    ],
  ])(
    'a hold resolves exactly once: %s is refused as hold-already-resolved',
    (_, resolve, again, resolution) => {
      const resolved = resolve(withHold());

      expect(() => decide(again, resolved)).toThrow(
        expect.objectContaining({
          code: 'hold-already-resolved',
          message: expect.stringContaining(`already ${resolution}`),
        }),
      );
    },
  );

  it('a hold id cannot be placed again, even after the first hold resolved', () => {
    const wallet = andThen(withHold(), release('h1'));

    expect(() => decide(hold('h1', credits(1)), wallet)).toThrow(
      rejectedWith('hold-already-exists'),
    );
    expect(() => decide(hold('h1', credits(1)), withHold())).toThrow(
      rejectedWith('hold-already-exists'),
    );
  });

  it('under block, a hold beyond available credit is refused, counting other active holds', () => {
    const wallet = given(open(), grant('g', credits(10)), hold('h1', credits(6)));

    expect(() => decide(hold('h2', credits(5)), wallet)).toThrow(
      rejectedWith('insufficient-credits'),
    );
    expect(when(wallet, hold('h2', credits(4))).events[0]).toMatchObject({
      type: 'CreditsHeld',
      data: { holdId: 'h2' },
    });
  });

  it('the ledger stays consistent through place, settle, release and expire', () => {
    let wallet = given(open(), grant('a', credits(5)), grant('b', credits(5)));
    const steps = [
      hold('h1', credits(7)),
      hold('h2', credits(2)),
      settle('h1', credits(3)),
      debit(credits(1)),
      hold('h3', credits(4)),
      release('h3'),
      settle('h2', credits(3)),
    ];
    for (const step of steps) {
      wallet = when(wallet, step).state;
      const ledger = ledgerAt(wallet, T0);
      expect(ledger.balance).toBe(ledger.recomputedBalance);
      expect(ledger.available).toBe(ledger.recomputedAvailable);
    }
    expect(balanceAt(wallet, T0)).toBe(credits(10 - 3 - 1 - 3));
    expect(wallet.holds.size).toBe(0);
  });
});
