import { deferredWaterfall } from './deferred-waterfall';
import { monthlyRevenue } from './monthly-revenue';
import type { CostBasis, RevenueFact } from './revenue-events';
import { linesOf } from './revenue-line';
import { journalOf } from './test-support/revenue-journal';

const CREDIT = 1_000_000n;
/** A €10 pack of 3 credits: 333.333333 cents a credit. */
const PACK: CostBasis = { currency: 'EUR', microsPerCredit: 333_333_333n };
const PROMO: CostBasis = { currency: 'XXX', microsPerCredit: 0n };
let sequence = 0;
const fact = (
  type: RevenueFact['type'],
  grantId: string,
  amount: bigint,
  at: string,
  costBasis: CostBasis = PACK,
): RevenueFact =>
  ({
    type,
    data: {
      eventId: `e${++sequence}`,
      customerId: 'acme',
      grantId,
      amount,
      costBasis,
      at: new Date(at),
      ...(type === 'CreditsForfeited' ? { reason: 'expired' } : {}),
    },
  }) as RevenueFact;

describe('revenue recognition by cost basis', () => {
  // Bought in November for €10 (3 credits), 1 credit burned in November and 1 in December, the
  // last expires on 31 December; promotional credits burned on the side; a second pack bought in
  // December, half of it refunded.
  const facts: RevenueFact[] = [
    fact('CreditsPurchased', 'pack-1', 3n * CREDIT, '2026-11-05T10:00:00Z'),
    fact('CreditsPurchased', 'promo', 5n * CREDIT, '2026-11-05T10:00:00Z', PROMO),
    fact('CreditsBurned', 'pack-1', CREDIT, '2026-11-20T10:00:00Z'),
    fact('CreditsBurned', 'promo', 2n * CREDIT, '2026-11-21T10:00:00Z', PROMO),
    fact('CreditsBurned', 'pack-1', CREDIT, '2026-12-10T10:00:00Z'),
    fact('CreditsPurchased', 'pack-2', 3n * CREDIT, '2026-12-11T10:00:00Z'),
    fact('CreditsRefunded', 'pack-2', 1_500_000n, '2026-12-12T10:00:00Z'),
    fact('CreditsForfeited', 'pack-1', CREDIT, '2026-12-31T23:59:59Z'),
  ];
  const journal = journalOf(facts);

  it('defers a purchase, recognises burns, books the rest as breakage at expiry, and refunds; promotional credits move nothing', () => {
    expect(journal.map(({ kind, grantId, month, minor }) => [kind, grantId, month, minor])).toEqual(
      [
        ['purchased', 'pack-1', '2026-11', 1000n],
        ['recognised', 'pack-1', '2026-11', 333n],
        ['recognised', 'pack-1', '2026-12', 334n],
        ['purchased', 'pack-2', '2026-12', 1000n],
        ['refunded', 'pack-2', '2026-12', 500n],
        ['breakage', 'pack-1', '2026-12', 333n],
      ],
    );
  });

  it('reports each month as an accountant computes it by hand, to the cent', () => {
    expect(monthlyRevenue(linesOf(journal), '2027-01')).toEqual([
      {
        customerId: 'acme',
        currency: 'EUR',
        month: '2026-11',
        openingDeferred: 0n,
        purchased: 1000n,
        recognised: 333n,
        breakage: 0n,
        refunded: 0n,
        closingDeferred: 667n,
        lateItems: 0,
      },
      {
        customerId: 'acme',
        currency: 'EUR',
        month: '2026-12',
        openingDeferred: 667n,
        purchased: 1000n,
        recognised: 334n,
        breakage: 333n,
        refunded: 500n,
        closingDeferred: 500n,
        lateItems: 0,
      },
      {
        customerId: 'acme',
        currency: 'EUR',
        month: '2027-01',
        openingDeferred: 500n,
        purchased: 0n,
        recognised: 0n,
        breakage: 0n,
        refunded: 0n,
        closingDeferred: 500n,
        lateItems: 0,
      },
    ]);
  });

  it('shows what is left deferred of each month of purchase', () => {
    expect(deferredWaterfall(linesOf(journal), '2026-12')).toEqual([
      {
        currency: 'EUR',
        purchasedIn: '2026-11',
        purchased: 1000n,
        deferredAtEndOf: [
          { month: '2026-11', deferred: 667n },
          { month: '2026-12', deferred: 0n },
        ],
      },
      {
        currency: 'EUR',
        purchasedIn: '2026-12',
        purchased: 1000n,
        deferredAtEndOf: [{ month: '2026-12', deferred: 500n }],
      },
    ]);
  });

  it('leaves a closed month as it was: a late burn posts to the first open month, marked late', () => {
    const late = journalOf([
      ...facts.slice(0, 3),
      { close: '2026-11' },
      fact('CreditsBurned', 'pack-1', CREDIT, '2026-11-29T10:00:00Z'),
    ]);
    const [november, december] = monthlyRevenue(linesOf(late));
    expect(november).toMatchObject({ month: '2026-11', recognised: 333n, closingDeferred: 667n });
    expect(december).toMatchObject({ month: '2026-12', recognised: 334n, lateItems: 1 });
    expect(late.at(-1)).toMatchObject({ occurredIn: '2026-11', month: '2026-12', late: true });
  });
});
