import { decide } from '../decide';
import { FREE } from '../grant';
import { availableAt, balanceAt } from '../wallet-state';
import {
  credits,
  days,
  debit,
  given,
  grant,
  minutes,
  open,
  paid,
  T0,
  when,
  rejectedWith,
} from '../test-support/wallet-fixtures';

describe('drawdown: which credit a debit burns first', () => {
  it('free (promotional) credit burns before paid (purchased) credit of the same priority and expiry', () => {
    // The paid grant is older, so only the cost-basis rule can put the promotional one first.
    const wallet = given(
      open(),
      grant('paid', credits(10), { costBasis: paid(1) }),
      grant('promo', credits(10), { kind: 'promotional' }),
    );

    expect(when(wallet, debit(credits(4))).events).toMatchObject([
      { type: 'UsageDebited', data: { allocations: [{ grantId: 'promo', amount: credits(4) }] } },
    ]);
    expect(when(wallet, debit(credits(12))).events).toMatchObject([
      {
        type: 'UsageDebited',
        data: {
          allocations: [
            { grantId: 'promo', amount: credits(10) },
            { grantId: 'paid', amount: credits(2) },
          ],
        },
      },
    ]);
  });

  it('a promotional grant always has a zero cost basis, whatever cost basis the command names', () => {
    const { events } = when(
      given(open()),
      grant('promo', credits(5), { kind: 'promotional', costBasis: paid(3) }),
    );

    expect(events).toMatchObject([
      { type: 'CreditsGranted', data: { grantId: 'promo', costBasis: FREE } },
    ]);
  });

  it('the soonest-expiring grant burns first, and a grant that never expires burns last', () => {
    const wallet = given(
      open(),
      grant('never', credits(10)),
      grant('late', credits(10), { expiresAt: days(60) }),
      grant('soon', credits(10), { expiresAt: days(10) }),
    );

    expect(when(wallet, debit(credits(25))).events[0]).toMatchObject({
      data: {
        allocations: [
          { grantId: 'soon', amount: credits(10) },
          { grantId: 'late', amount: credits(10) },
          { grantId: 'never', amount: credits(5) },
        ],
      },
    });
  });

  it('expiry outranks cost basis: paid credit about to expire burns before free credit that keeps', () => {
    const wallet = given(
      open(),
      grant('free-late', credits(10), { kind: 'promotional', expiresAt: days(60) }),
      grant('paid-soon', credits(10), { costBasis: paid(1), expiresAt: days(10) }),
    );

    expect(when(wallet, debit(credits(3))).events[0]).toMatchObject({
      data: { allocations: [{ grantId: 'paid-soon', amount: credits(3) }] },
    });
  });

  it('a higher-priority grant (lower priority number) burns first, whatever its expiry or cost basis', () => {
    const wallet = given(
      open(),
      grant('promo-soon', credits(10), { kind: 'promotional', expiresAt: days(1) }),
      grant('paid-first', credits(10), { costBasis: paid(2), priority: 10 }),
    );

    expect(when(wallet, debit(credits(12))).events[0]).toMatchObject({
      data: {
        allocations: [
          { grantId: 'paid-first', amount: credits(10) },
          { grantId: 'promo-soon', amount: credits(2) },
        ],
      },
    });
  });

  it('when priority, expiry and cost basis tie, the oldest grant burns first (not the first by name)', () => {
    const wallet = given(
      open(),
      grant('zeta', credits(10), { at: minutes(0) }),
      grant('alpha', credits(10), { at: minutes(1) }),
      grant('mu', credits(10), { at: minutes(2) }),
    );

    expect(when(wallet, debit(credits(15), { at: minutes(3) })).events[0]).toMatchObject({
      data: {
        allocations: [
          { grantId: 'zeta', amount: credits(10) },
          { grantId: 'alpha', amount: credits(5) },
        ],
      },
    });
  });

  it('a grant scoped to image generation never pays for text, however early it would otherwise burn', () => {
    const wallet = given(
      open(),
      grant('images-only', credits(10), { scope: ['images'], priority: 0 }),
      grant('general', credits(5)),
    );

    expect(when(wallet, debit(credits(3), { feature: 'llm.tokens' })).events[0]).toMatchObject({
      data: { feature: 'llm.tokens', allocations: [{ grantId: 'general', amount: credits(3) }] },
    });
    expect(when(wallet, debit(credits(3), { feature: 'images' })).events[0]).toMatchObject({
      data: { feature: 'images', allocations: [{ grantId: 'images-only', amount: credits(3) }] },
    });
  });

  it('under block, a text debit is refused when only image-scoped credit could cover it, though the wallet shows that credit', () => {
    const wallet = given(
      open(),
      grant('images-only', credits(10), { scope: ['images'] }),
      grant('general', credits(2)),
    );
    expect(availableAt(wallet, T0)).toBe(credits(12));

    expect(() => decide(debit(credits(3), { feature: 'llm.tokens' }), wallet)).toThrow(
      rejectedWith('insufficient-credits'),
    );
    expect(when(wallet, debit(credits(2), { feature: 'llm.tokens' })).events[0]).toMatchObject({
      data: { allocations: [{ grantId: 'general', amount: credits(2) }] },
    });
  });

  it('a grant that is not yet effective counts neither in the balance nor in the drawdown until its effective time', () => {
    // Priority 0: if it were in force it would burn first.
    const wallet = given(
      open(),
      grant('now', credits(5)),
      grant('next-month', credits(10), { effectiveAt: days(30), priority: 0 }),
    );

    expect(balanceAt(wallet, T0)).toBe(credits(5));
    expect(availableAt(wallet, T0)).toBe(credits(5));
    expect(() => decide(debit(credits(6)), wallet)).toThrow(rejectedWith('insufficient-credits'));
    const { events, state } = when(wallet, debit(credits(3)));
    expect(events[0]).toMatchObject({
      data: { allocations: [{ grantId: 'now', amount: credits(3) }] },
    });

    const justBefore = new Date(days(30).getTime() - 1);
    expect(balanceAt(state, justBefore)).toBe(credits(2));
    expect(balanceAt(state, days(30))).toBe(credits(12));
    expect(availableAt(state, days(30))).toBe(credits(12));
    expect(when(state, debit(credits(12), { at: days(30) })).events[0]).toMatchObject({
      data: {
        allocations: [
          { grantId: 'next-month', amount: credits(10) },
          { grantId: 'now', amount: credits(2) },
        ],
      },
    });
  });

  it('a grant stops paying at its expiry time, even before the scheduler has expired it', () => {
    const wallet = given(
      open(),
      grant('trial', credits(10), { kind: 'promotional', expiresAt: days(14) }),
      grant('paid', credits(1), { costBasis: paid(1) }),
    );

    expect(balanceAt(wallet, days(14))).toBe(credits(1));
    expect(() => decide(debit(credits(2), { at: days(14) }), wallet)).toThrow(
      rejectedWith('insufficient-credits'),
    );
    expect(when(wallet, debit(credits(1), { at: days(14) })).events[0]).toMatchObject({
      data: { allocations: [{ grantId: 'paid', amount: credits(1) }] },
    });
  });
});
