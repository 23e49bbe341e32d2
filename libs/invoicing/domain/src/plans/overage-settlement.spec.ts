import { NO_OVERAGE_COUNTERS, settlePeriodOverage } from './overage-settlement';

const CREDIT = 1_000_000n;
/** 2 cents a credit, in millionths of a cent. */
const twoCents = { microsPerCredit: 2_000_000n, uncovered: 'invoice' as const };

describe('settlePeriodOverage', () => {
  it('bills what was booked since the last settlement at the plan’s price, rounded once', () => {
    const settled = settlePeriodOverage(
      twoCents,
      { booked: 13n * CREDIT + 500_000n, uncovered: 0n, owed: 13n * CREDIT + 500_000n },
      { booked: 3n * CREDIT, uncovered: 0n },
    );
    // 10.5 credits × 2 cents = 21 cents.
    expect(settled).toEqual({
      through: { booked: 13n * CREDIT + 500_000n, uncovered: 0n },
      invoicedCredits: 10n * CREDIT + 500_000n,
      writtenOffCredits: 0n,
      amount: 21n,
    });
  });

  it('rounds half a cent up', () => {
    const settled = settlePeriodOverage(
      twoCents,
      { booked: 250_000n, uncovered: 0n, owed: 250_000n },
      NO_OVERAGE_COUNTERS,
    );
    expect(settled.amount).toBe(1n);
  });

  it('writes off the uncovered part under a write-off plan and invoices only the rest', () => {
    const settled = settlePeriodOverage(
      { ...twoCents, uncovered: 'write-off' },
      { booked: 10n * CREDIT, uncovered: 4n * CREDIT, owed: 10n * CREDIT },
      NO_OVERAGE_COUNTERS,
    );
    expect(settled).toMatchObject({
      invoicedCredits: 6n * CREDIT,
      writtenOffCredits: 4n * CREDIT,
      amount: 12n,
    });
  });

  it('invoices the uncovered part with the rest under an invoice plan', () => {
    const settled = settlePeriodOverage(
      twoCents,
      { booked: 10n * CREDIT, uncovered: 4n * CREDIT, owed: 10n * CREDIT },
      NO_OVERAGE_COUNTERS,
    );
    expect(settled).toMatchObject({ invoicedCredits: 10n * CREDIT, writtenOffCredits: 0n });
  });

  it('never settles more than the wallet still owes', () => {
    const settled = settlePeriodOverage(
      twoCents,
      { booked: 10n * CREDIT, uncovered: 0n, owed: 3n * CREDIT },
      NO_OVERAGE_COUNTERS,
    );
    expect(settled).toMatchObject({ invoicedCredits: 3n * CREDIT, amount: 6n });
  });

  it('writes off what rounds to nothing instead of invoicing 0', () => {
    const settled = settlePeriodOverage(
      twoCents,
      { booked: 100_000n, uncovered: 0n, owed: 100_000n },
      NO_OVERAGE_COUNTERS,
    );
    expect(settled).toMatchObject({ invoicedCredits: 0n, writtenOffCredits: 100_000n, amount: 0n });
  });

  it('settles nothing when nothing was booked since', () => {
    const counters = { booked: 5n * CREDIT, uncovered: CREDIT };
    expect(
      settlePeriodOverage(twoCents, { ...counters, owed: 5n * CREDIT }, counters),
    ).toMatchObject({
      invoicedCredits: 0n,
      writtenOffCredits: 0n,
      amount: 0n,
    });
  });
});
