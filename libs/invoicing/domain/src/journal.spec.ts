import { overageJournalEntries, DEFAULT_REVENUE_ACCOUNTS, journalEntries } from './journal';
import type { RevenueLine } from './revenue-line';

const line = (id: string, kind: RevenueLine['kind'], minor: bigint): RevenueLine => ({
  id,
  customerId: 'acme',
  currency: 'EUR',
  kind,
  exact: minor * 10n ** 12n,
  minor,
  grantId: 'pack',
  month: '2026-12',
  occurredIn: '2026-12',
  late: false,
  purchasedIn: '2026-12',
  items: 1,
});

describe('the revenue journal', () => {
  const lines = [
    line('buy', 'purchased', 1000n),
    line('burn', 'recognised', 334n),
    line('expire', 'breakage', 333n),
    line('refund', 'refunded', 333n),
    line('rounding-nothing', 'recognised', 0n),
  ];

  it('posts each line as a double entry to the mapped accounts', () => {
    const accounts = { ...DEFAULT_REVENUE_ACCOUNTS, refunds: '2500 Refunds payable' };
    expect(
      journalEntries(lines, accounts).map(({ lineId, account, debit, credit }) => [
        lineId,
        account,
        debit,
        credit,
      ]),
    ).toEqual([
      ['buy', '1100 Cash and receivables', 1000n, 0n],
      ['buy', '2400 Deferred revenue', 0n, 1000n],
      ['burn', '2400 Deferred revenue', 334n, 0n],
      ['burn', '4000 Revenue', 0n, 334n],
      ['expire', '2400 Deferred revenue', 333n, 0n],
      ['expire', '4100 Breakage revenue', 0n, 333n],
      ['refund', '2400 Deferred revenue', 333n, 0n],
      ['refund', '2500 Refunds payable', 0n, 333n],
    ]);
  });

  it('balances: debits equal credits, and deferred revenue nets to what is still deferred', () => {
    const entries = journalEntries(lines);
    const total = (pick: (entry: (typeof entries)[number]) => bigint) =>
      entries.reduce((sum, entry) => sum + pick(entry), 0n);
    expect(total((entry) => entry.debit)).toBe(total((entry) => entry.credit));
    const deferred = entries.filter(
      (entry) => entry.account === DEFAULT_REVENUE_ACCOUNTS.deferredRevenue,
    );
    expect(deferred.reduce((sum, entry) => sum + entry.credit - entry.debit, 0n)).toBe(0n);
  });
});

describe('overage in the journal', () => {
  it('books what a period invoiced as receivable against revenue, in the month it ended, and nothing written off', () => {
    const settled = {
      settlementId: 'sub-1.p0',
      customerId: 'acme',
      currency: 'USD',
      periodEnd: new Date('2027-04-01T00:00:00Z'),
      invoicedCredits: 1_500_000n,
      amount: 5n,
      writtenOffCredits: 0n,
    };
    const entries = overageJournalEntries([
      settled,
      {
        ...settled,
        settlementId: 'sub-2.p0',
        amount: 0n,
        invoicedCredits: 0n,
        writtenOffCredits: 9n,
      },
    ]);
    expect(entries).toEqual([
      expect.objectContaining({
        lineId: 'acme/overage/sub-1.p0',
        month: '2027-03',
        kind: 'overage',
        account: '1100 Cash and receivables',
        debit: 5n,
        credit: 0n,
      }),
      expect.objectContaining({ account: '4000 Revenue', debit: 0n, credit: 5n }),
    ]);
  });
});
