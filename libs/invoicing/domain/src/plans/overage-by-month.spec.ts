import { overageByMonth } from './overage-by-month';

describe('overage by month', () => {
  it('adds up the periods ending in each month, by the month of their last instant, per currency', () => {
    const settled = (
      periodEnd: string,
      invoicedCredits: bigint,
      amount: bigint,
      writtenOff = 0n,
    ) => ({
      currency: 'USD',
      periodEnd: new Date(periodEnd),
      invoicedCredits,
      amount,
      writtenOffCredits: writtenOff,
    });
    expect(
      overageByMonth([
        settled('2027-04-01T00:00:00Z', 1_500_000n, 5n),
        settled('2027-03-15T00:00:00Z', 0n, 0n, 200_000n),
        settled('2027-04-10T00:00:00Z', 2_000_000n, 6n),
        { ...settled('2027-03-20T00:00:00Z', 1_000_000n, 90n), currency: 'EUR' },
      ]),
    ).toEqual([
      {
        currency: 'EUR',
        month: '2027-03',
        invoicedCredits: 1_000_000n,
        invoiced: 90n,
        writtenOffCredits: 0n,
        periods: 1,
      },
      {
        currency: 'USD',
        month: '2027-03',
        invoicedCredits: 1_500_000n,
        invoiced: 5n,
        writtenOffCredits: 200_000n,
        periods: 2,
      },
      {
        currency: 'USD',
        month: '2027-04',
        invoicedCredits: 2_000_000n,
        invoiced: 6n,
        writtenOffCredits: 0n,
        periods: 1,
      },
    ]);
  });
});
