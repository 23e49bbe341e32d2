import { decide } from '../decide';
import type { WalletEvent } from '../wallet-events';
import type { RolloverPolicy } from '../wallet-policy';
import { availableAt, balanceAt, type OpenWalletState } from '../wallet-state';
import {
  allowance,
  andThen,
  credits,
  days,
  debit,
  eventTypes,
  expireGrant,
  given,
  grant,
  hold,
  ledgerAt,
  open,
  policy,
  release,
  settle,
  T0,
  when,
  rejectedWith,
} from '../test-support/wallet-fixtures';

const hours = (n: number): Date => new Date(T0.getTime() + n * 3_600_000);

/** Credit granted by rollover among `events`. */
const rolledOver = (events: readonly WalletEvent[]): bigint =>
  events.reduce(
    (sum, event) =>
      event.type === 'CreditsGranted' && event.data.kind === 'rollover'
        ? sum + event.data.amount
        : sum,
    0n,
  );

function expectConsistent(state: OpenWalletState, at: Date): void {
  const ledger = ledgerAt(state, at);
  expect(ledger.balance).toBe(ledger.recomputedBalance);
  expect(ledger.available).toBe(ledger.recomputedAvailable);
}

describe('grant expiry', () => {
  it('ExpireGrant at the grant expiry removes exactly what remained of it', () => {
    const wallet = given(
      open(),
      grant('g', credits(10), { expiresAt: days(30) }),
      grant('keep', credits(1)),
      debit(credits(3)),
    );

    const { events, state } = when(wallet, expireGrant('g', days(30)));

    expect(events).toEqual([
      expect.objectContaining({
        type: 'GrantExpired',
        data: expect.objectContaining({ grantId: 'g', amount: credits(7) }),
      }),
    ]);
    expect(state.grants.get('g')).toMatchObject({ amount: credits(10), remaining: 0n });
    expect(balanceAt(state, days(30))).toBe(credits(1));
  });

  it('ExpireGrant is refused before the grant expiry, and for a grant that never expires', () => {
    const wallet = given(
      open(),
      grant('g', credits(10), { expiresAt: days(30) }),
      grant('forever', credits(1)),
    );

    expect(() => decide(expireGrant('g', new Date(days(30).getTime() - 1)), wallet)).toThrow(
      rejectedWith('grant-not-expired'),
    );
    expect(() => decide(expireGrant('forever', days(3650)), wallet)).toThrow(
      rejectedWith('grant-not-expired'),
    );
  });

  it('expiring a grant that was used up records nothing', () => {
    const wallet = given(
      open(),
      grant('g', credits(10), { expiresAt: days(30) }),
      debit(credits(10)),
    );

    expect(decide(expireGrant('g', days(30)), wallet)).toEqual([]);
  });

  describe('in the middle of a hold', () => {
    // `g` expires at day 30 and so burns before `keep`: the hold earmarks it.
    const heldAcrossExpiry = (): OpenWalletState =>
      given(
        open(),
        grant('g', credits(10), { expiresAt: days(30) }),
        grant('keep', credits(5)),
        hold('h', credits(4), { at: days(29), expiresAt: days(31) }),
        expireGrant('g', days(30)),
      );

    it('held credit stays earmarked when its grant expires: only the free part expires', () => {
      const wallet = given(
        open(),
        grant('g', credits(10), { expiresAt: days(30) }),
        grant('keep', credits(5)),
        hold('h', credits(4), { at: days(29), expiresAt: days(31) }),
      );

      const { events, state } = when(wallet, expireGrant('g', days(30)));

      expect(events).toMatchObject([
        { type: 'GrantExpired', data: { grantId: 'g', amount: credits(6) } },
      ]);
      expect(state.grants.get('g')).toMatchObject({ remaining: 0n, held: credits(4) });
      expect(balanceAt(state, days(30))).toBe(credits(9));
      expect(availableAt(state, days(30))).toBe(credits(5));
      expectConsistent(state, days(30));
    });

    it('settling after the expiry burns the earmark; what the job did not use goes back to the expired grant and a later expiry closes it', () => {
      const at = hours(30 * 24 + 1);
      const { events, state } = when(heldAcrossExpiry(), settle('h', credits(3), { at }));

      expect(events[0]).toMatchObject({
        data: {
          allocations: [{ grantId: 'g', amount: credits(3) }],
          released: [{ grantId: 'g', amount: credits(1) }],
        },
      });
      // The released credit is out of force: neither the balance nor available counts it.
      expect(balanceAt(state, at)).toBe(credits(5));
      expect(availableAt(state, at)).toBe(credits(5));
      expectConsistent(state, at);

      const closed = when(state, expireGrant('g', at));
      expect(closed.events).toMatchObject([
        { type: 'GrantExpired', data: { grantId: 'g', amount: credits(1) } },
      ]);
      expect(balanceAt(closed.state, at)).toBe(credits(5));
      expect(closed.state.grants.get('g')).toMatchObject({ remaining: 0n, held: 0n });
      expectConsistent(closed.state, at);
    });

    it('releasing after the expiry returns the credit to the expired grant, not to the balance, and a later expiry closes it', () => {
      const at = hours(30 * 24 + 1);
      const wallet = heldAcrossExpiry();
      expect(availableAt(wallet, at)).toBe(credits(5));

      const { state } = when(wallet, release('h', { at }));
      expect(balanceAt(state, at)).toBe(credits(5));
      expect(availableAt(state, at)).toBe(credits(5));
      expectConsistent(state, at);

      expect(when(state, expireGrant('g', at)).events).toMatchObject([
        { type: 'GrantExpired', data: { grantId: 'g', amount: credits(4) } },
      ]);
    });

    it('settling above the hold after the expiry takes the extra from grants still in force', () => {
      const at = hours(30 * 24 + 1);
      const { events, state } = when(heldAcrossExpiry(), settle('h', credits(6), { at }));

      expect(events[0]).toMatchObject({
        data: {
          allocations: [
            { grantId: 'g', amount: credits(4) },
            { grantId: 'keep', amount: credits(2) },
          ],
          released: [],
        },
      });
      expect(balanceAt(state, at)).toBe(credits(3));
      expectConsistent(state, at);
    });
  });
});

describe('allowance periods and rollover', () => {
  const capped = (rollover: Partial<Extract<RolloverPolicy, { mode: 'capped' }>>) =>
    policy({
      rollover: {
        mode: 'capped',
        capPercentOfAllowance: null,
        fixedCap: null,
        expiresAfterMs: null,
        ...rollover,
      },
    });

  it('each period starts with a fresh allowance that expires at the period end', () => {
    const wallet = given(
      open(),
      allowance('2026-11', credits(10), T0, days(30)),
      debit(credits(6)),
    );

    const { state } = when(wallet, expireGrant('allowance:2026-11', days(30)));
    const { events, state: refilled } = when(
      state,
      allowance('2026-12', credits(10), days(30), days(61)),
    );

    expect(events).toMatchObject([
      {
        type: 'CreditsGranted',
        data: {
          grantId: 'allowance:2026-12',
          kind: 'allowance',
          amount: credits(10),
          effectiveAt: days(30),
          expiresAt: days(61),
        },
      },
      // The expiry emptied the wallet (depleted); the new period refills it.
      { type: 'WalletRecovered', data: { available: credits(10) } },
    ]);
    expect(balanceAt(refilled, days(30))).toBe(credits(10));
  });

  it('with rollover none, unused allowance simply expires and nothing carries over', () => {
    const wallet = given(
      open(),
      allowance('2026-11', credits(10), T0, days(30)),
      debit(credits(2)),
    );

    const { events, state } = when(wallet, expireGrant('allowance:2026-11', days(30)));

    // The expiry takes the last credit: the wallet is depleted, once.
    expect(eventTypes(events)).toEqual(['GrantExpired', 'WalletDepleted']);
    expect(events[0]).toMatchObject({ data: { amount: credits(8) } });
    expect(balanceAt(state, days(30))).toBe(0n);
  });

  it('capped at 2x the allowance, unused allowance rolls over at the period end into a rollover grant with its own expiry', () => {
    const wallet = given(
      open(),
      capped({ capPercentOfAllowance: 200, expiresAfterMs: 60 * 86_400_000 }),
      allowance('2026-11', credits(10), T0, days(30)),
      debit(credits(2)),
    );

    const { events, state } = when(wallet, expireGrant('allowance:2026-11', days(30)));

    expect(events).toMatchObject([
      { type: 'GrantExpired', data: { grantId: 'allowance:2026-11', amount: credits(8) } },
      {
        type: 'CreditsGranted',
        data: {
          grantId: 'rollover:allowance:2026-11',
          kind: 'rollover',
          amount: credits(8),
          effectiveAt: days(30),
          expiresAt: days(90),
          source: 'allowance:2026-11',
        },
      },
    ]);
    expect(balanceAt(state, days(30))).toBe(credits(8));
    expect(balanceAt(state, days(90))).toBe(0n);
  });

  it('a late expiry run does not stretch the rollover: its life counts from the period end', () => {
    const wallet = given(
      open(),
      capped({ capPercentOfAllowance: 200, expiresAfterMs: 60 * 86_400_000 }),
      allowance('2026-11', credits(10), T0, days(30)),
    );

    const { events } = when(wallet, expireGrant('allowance:2026-11', days(33)));

    expect(events[1]).toMatchObject({
      type: 'CreditsGranted',
      data: { effectiveAt: days(33), expiresAt: days(90) },
    });
  });

  it('rollover stops at the cap: rollover credit in force never exceeds 2x the allowance', () => {
    let wallet = given(
      open(),
      capped({ capPercentOfAllowance: 200, expiresAfterMs: 365 * 86_400_000 }),
      allowance('p1', credits(10), T0, days(30)),
      debit(credits(2)),
    );
    const rolled: bigint[] = [];
    for (const period of [1, 2, 3, 4]) {
      const end = days(30 * period);
      const expiry = when(wallet, expireGrant(`allowance:p${period}`, end));
      rolled.push(rolledOver(expiry.events));
      wallet = andThen(
        expiry.state,
        allowance(`p${period + 1}`, credits(10), end, days(30 * (period + 1))),
      );
    }

    // 8 unused of p1, then all 10 of p2 (room 12), then only 2 of p3 (room 2), then nothing.
    expect(rolled).toEqual([credits(8), credits(10), credits(2), 0n]);
    expect(balanceAt(wallet, days(120))).toBe(credits(20) + credits(10));
  });

  it('with a fixed cap, rollover credit in force stops at that amount', () => {
    const wallet = given(
      open(),
      capped({ fixedCap: credits(5) }),
      allowance('p1', credits(10), T0, days(30)),
      debit(credits(2)),
    );

    const { events, state } = when(wallet, expireGrant('allowance:p1', days(30)));

    expect(events).toMatchObject([
      { type: 'GrantExpired', data: { amount: credits(8) } },
      {
        type: 'CreditsGranted',
        data: { grantId: 'rollover:allowance:p1', amount: credits(5), expiresAt: null },
      },
    ]);
    expect(balanceAt(state, days(30))).toBe(credits(5));
  });

  it("an allowance with rollover terms of its own (its plan's) follows them, not the wallet policy's", () => {
    const wallet = given(
      open(),
      capped({ fixedCap: credits(1) }),
      allowance('all', credits(10), T0, days(30), {
        rollover: { mode: 'all', expiresAfterMs: null },
      }),
      allowance('none', credits(10), T0, days(30), { rollover: { mode: 'none' } }),
      allowance('plan-cap', credits(10), T0, days(30), {
        rollover: {
          mode: 'capped',
          capPercentOfAllowance: null,
          fixedCap: credits(3),
          expiresAfterMs: 86_400_000,
        },
      }),
      allowance('policy', credits(10), T0, days(30)),
    );

    // Uncapped: all 10 carry over, whatever the wallet policy's cap of 1.
    expect(rolledOver(when(wallet, expireGrant('allowance:all', days(30))).events)).toBe(
      credits(10),
    );
    expect(rolledOver(when(wallet, expireGrant('allowance:none', days(30))).events)).toBe(0n);
    const planCapped = when(wallet, expireGrant('allowance:plan-cap', days(30))).events;
    expect(rolledOver(planCapped)).toBe(credits(3));
    expect(planCapped[1]).toMatchObject({ data: { expiresAt: days(31), rollover: null } });
    // Without terms of its own, the wallet policy's cap.
    expect(rolledOver(when(wallet, expireGrant('allowance:policy', days(30))).events)).toBe(
      credits(1),
    );
    expect(() =>
      decide(
        allowance('bad', credits(10), T0, days(30), {
          rollover: {
            mode: 'capped',
            capPercentOfAllowance: null,
            fixedCap: null,
            expiresAfterMs: null,
          },
        }),
        wallet,
      ),
    ).toThrow(rejectedWith('invalid-policy'));
  });

  it('rollover credit expires on its own schedule and does not roll over again', () => {
    const wallet = given(
      open(),
      capped({ capPercentOfAllowance: 200, expiresAfterMs: 10 * 86_400_000 }),
      allowance('p1', credits(10), T0, days(30)),
      expireGrant('allowance:p1', days(30)),
    );

    expect(() => decide(expireGrant('rollover:allowance:p1', days(39)), wallet)).toThrow(
      rejectedWith('grant-not-expired'),
    );
    const { events } = when(wallet, expireGrant('rollover:allowance:p1', days(40)));
    expect(events).toMatchObject([
      { type: 'GrantExpired', data: { grantId: 'rollover:allowance:p1', amount: credits(10) } },
      { type: 'WalletDepleted', data: { available: 0n } },
    ]);
    expect(eventTypes(events)).toEqual(['GrantExpired', 'WalletDepleted']);
  });

  it('allowance released from a hold after its period ended is closed later without disturbing the rollover already granted', () => {
    const wallet = given(
      open(),
      capped({ capPercentOfAllowance: 200, expiresAfterMs: null }),
      allowance('p1', credits(10), T0, days(30)),
      hold('h', credits(3), { at: days(29), expiresAt: days(31) }),
      expireGrant('allowance:p1', days(30)),
      debit(credits(2), { at: days(30) }),
    );
    expect(wallet.grants.get('rollover:allowance:p1')).toMatchObject({
      amount: credits(7),
      remaining: credits(5),
    });
    const at = hours(30 * 24 + 1);

    const released = andThen(wallet, release('h', { at }));
    const { events, state } = when(released, expireGrant('allowance:p1', at));

    expect(events[0]).toMatchObject({
      type: 'GrantExpired',
      data: { grantId: 'allowance:p1', amount: credits(3) },
    });
    // The first rollover grant keeps its 5 unspent credits; whatever rolls over now is added, never replaces.
    expect(state.grants.get('rollover:allowance:p1')).toMatchObject({
      amount: credits(7),
      remaining: credits(5),
    });
    // The 3 unused credits roll over too (room: 20 − 5 in force), into a grant of their own.
    expect(events[1]).toMatchObject({
      type: 'CreditsGranted',
      data: { kind: 'rollover', amount: credits(3), source: 'allowance:p1' },
    });
    expect(rolledOver(events)).toBe(credits(3));
    expect(balanceAt(state, at)).toBe(credits(5) + credits(3));
    expectConsistent(state, at);
  });
});
