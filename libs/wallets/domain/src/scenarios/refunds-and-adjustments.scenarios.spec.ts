import { decide } from '../decide';
import { FREE } from '../grant';
import { availableAt, balanceAt } from '../wallet-state';
import {
  adjust,
  andThen,
  credits,
  days,
  debit,
  given,
  grant,
  hold,
  open,
  paid,
  policy,
  refund,
  refundPurchase,
  T0,
  when,
  rejectedWith,
} from '../test-support/wallet-fixtures';

describe('refunds: credit given back as a new grant', () => {
  it('a refund is a new grant of kind refund; the debit it answers and the grant it burned stay as they were', () => {
    const wallet = given(
      open(),
      grant('g', credits(10), { costBasis: paid(1) }),
      debit(credits(4), { usageEventId: 'job-1' }),
    );
    const before = wallet.grants.get('g');

    const { events, state } = when(
      wallet,
      refund('r1', credits(4), { reason: 'failed job-1', costBasis: paid(1) }),
    );

    expect(events).toMatchObject([
      {
        type: 'CreditsGranted',
        data: {
          grantId: 'refund:r1',
          kind: 'refund',
          amount: credits(4),
          costBasis: paid(1),
          expiresAt: null,
          scope: [],
          source: 'failed job-1',
        },
      },
    ]);
    expect(state.grants.get('g')).toBe(before);
    expect(balanceAt(state, T0)).toBe(credits(10));
  });

  it('a refund names its source when given one, and is free credit unless a cost basis is given', () => {
    const { events } = when(given(open()), refund('r1', credits(1), { source: 'ticket-42' }));

    expect(events[0]).toMatchObject({ data: { costBasis: FREE, source: 'ticket-42' } });
  });

  it('the same refund id cannot be granted twice', () => {
    const wallet = given(open(), refund('r1', credits(1)));

    expect(() => decide(refund('r1', credits(1)), wallet)).toThrow(
      rejectedWith('grant-already-exists'),
    );
  });
});

describe('adjustments: an operator adds or takes away credit, never edits it', () => {
  it('a positive adjustment adds free credit as a new adjustment grant', () => {
    const { events, state } = when(
      given(open(), grant('g', credits(10))),
      adjust('a1', credits(3), { reason: 'outage credit' }),
    );

    expect(events).toMatchObject([
      {
        type: 'CreditsGranted',
        data: {
          grantId: 'adjustment:a1',
          kind: 'adjustment',
          amount: credits(3),
          costBasis: FREE,
          source: 'outage credit',
        },
      },
    ]);
    expect(balanceAt(state, T0)).toBe(credits(13));
  });

  it('a negative adjustment deducts credit in drawdown order and records it as CreditsDeducted, leaving each grant amount as granted', () => {
    const wallet = given(
      open(),
      grant('later', credits(10)),
      grant('sooner', credits(5), { expiresAt: days(10) }),
    );

    const { events, state } = when(wallet, adjust('a1', -credits(7), { reason: 'fraud' }));

    expect(events).toMatchObject([
      {
        type: 'CreditsDeducted',
        data: {
          adjustmentId: 'a1',
          amount: credits(7),
          reason: 'fraud',
          allocations: [
            { grantId: 'sooner', amount: credits(5) },
            { grantId: 'later', amount: credits(2) },
          ],
        },
      },
    ]);
    expect(state.grants.get('sooner')).toMatchObject({ amount: credits(5), remaining: 0n });
    expect(state.grants.get('later')).toMatchObject({ amount: credits(10), remaining: credits(8) });
    expect(balanceAt(state, T0)).toBe(credits(8));
  });

  it('a negative adjustment may take from grants of any scope', () => {
    const wallet = given(open(), grant('images-only', credits(5), { scope: ['images'] }));

    expect(when(wallet, adjust('a1', -credits(2))).events[0]).toMatchObject({
      data: { allocations: [{ grantId: 'images-only', amount: credits(2) }] },
    });
  });

  it('a negative adjustment cannot deduct more than is available, not even under allow-to-limit', () => {
    const wallet = given(
      open(),
      policy({ overdraft: { mode: 'allow-to-limit', limit: credits(100) } }),
      grant('g', credits(10)),
    );

    expect(() => decide(adjust('a1', -(credits(10) + 1n)), wallet)).toThrow(
      rejectedWith('insufficient-credits'),
    );
    expect(when(wallet, adjust('a1', -credits(10))).state.overage).toBe(0n);
  });

  it('a negative adjustment cannot take credit a hold has earmarked', () => {
    const wallet = andThen(given(open(), grant('g', credits(10))), hold('h', credits(8)));
    expect(availableAt(wallet, T0)).toBe(credits(2));

    expect(() => decide(adjust('a1', -credits(3)), wallet)).toThrow(
      rejectedWith('insufficient-credits'),
    );
    expect(when(wallet, adjust('a1', -credits(2))).events[0]).toMatchObject({
      type: 'CreditsDeducted',
    });
  });

  it('the same positive adjustment id cannot be granted twice', () => {
    const wallet = given(open(), adjust('a1', credits(1)));

    expect(() => decide(adjust('a1', credits(1)), wallet)).toThrow(
      rejectedWith('grant-already-exists'),
    );
  });
});

describe('purchase refunds: unused paid credits paid back', () => {
  it('takes the credits out of the grant and records the money at its cost basis; nothing else moves', () => {
    const wallet = given(
      open(),
      grant('bought', credits(10), { costBasis: paid(2) }),
      grant('promo', credits(5), { kind: 'promotional' }),
      debit(credits(3)),
    );
    const { events, state } = when(
      wallet,
      refundPurchase('rp1', 'bought', credits(4), { reason: 'cancelled' }),
    );

    expect(events).toEqual([
      {
        type: 'PurchaseRefunded',
        data: expect.objectContaining({
          refundId: 'rp1',
          grantId: 'bought',
          amount: credits(4),
          costBasis: paid(2),
          reason: 'cancelled',
        }),
      },
    ]);
    expect(balanceAt(state, T0)).toBe(balanceAt(wallet, T0) - credits(4));
    expect(state.grants.get('promo')).toBe(wallet.grants.get('promo'));
    expect(state.overage).toBe(wallet.overage);
  });

  it('can pay back everything still free on the grant, and then nothing more', () => {
    const wallet = given(
      open(),
      grant('bought', credits(10), { costBasis: paid(1) }),
      debit(credits(6)),
    );
    const { state } = when(wallet, refundPurchase('all', 'bought', credits(4)));

    expect(state.grants.get('bought')?.remaining).toBe(0n);
    expect(() => decide(refundPurchase('more', 'bought', 1n), state)).toThrow(
      rejectedWith('insufficient-credits'),
    );
  });
});
