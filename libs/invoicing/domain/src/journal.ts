import type { RevenueLine } from './revenue-line';
import type { MovementKind } from './revenue-movement';
import { overageMonthOf, type SettledOverage } from './plans/overage-by-month';

/** What a journal entry books: a movement of prepaid credits, or overage invoiced at a period's end. */
export type JournalKind = MovementKind | 'overage';

/** The general-ledger accounts a journal posts to, by what they hold. */
export interface RevenueAccounts {
  /** Money in (or receivable) for credits bought, and out for refunds. */
  readonly cash: string;
  /** The contract liability: credits paid for and not yet used. */
  readonly deferredRevenue: string;
  readonly revenue: string;
  readonly breakage: string;
  /** Where refunds are booked; often the same account as cash. */
  readonly refunds: string;
}

export const DEFAULT_REVENUE_ACCOUNTS: RevenueAccounts = {
  cash: '1100 Cash and receivables',
  deferredRevenue: '2400 Deferred revenue',
  revenue: '4000 Revenue',
  breakage: '4100 Breakage revenue',
  refunds: '1100 Cash and receivables',
};

/** One side of a double entry, in minor units. */
export interface JournalEntry {
  readonly lineId: string;
  readonly month: string;
  readonly customerId: string;
  readonly currency: string;
  readonly kind: JournalKind;
  readonly account: string;
  readonly debit: bigint;
  readonly credit: bigint;
  readonly late: boolean;
  /** How many movements its line adds up. */
  readonly items: number;
}

/** Debit and credit account of each kind of line. */
function accountsOf(kind: MovementKind, accounts: RevenueAccounts): readonly [string, string] {
  switch (kind) {
    case 'purchased':
      return [accounts.cash, accounts.deferredRevenue];
    case 'recognised':
      return [accounts.deferredRevenue, accounts.revenue];
    case 'breakage':
      return [accounts.deferredRevenue, accounts.breakage];
    case 'refunded':
      return [accounts.deferredRevenue, accounts.refunds];
  }
}

/**
 * The journal of the lines given, two entries a line (debit, then credit), in line order: each
 * line's debits equal its credits, so every journal balances to the minor unit.
 */
export function journalEntries(
  lines: readonly RevenueLine[],
  accounts: RevenueAccounts = DEFAULT_REVENUE_ACCOUNTS,
): JournalEntry[] {
  return lines
    .filter((line) => line.minor !== 0n)
    .flatMap((line) => {
      const [debited, credited] = accountsOf(line.kind, accounts);
      const entry = {
        lineId: line.id,
        month: line.month,
        customerId: line.customerId,
        currency: line.currency,
        kind: line.kind,
        late: line.late,
        items: line.items,
      };
      return [
        { ...entry, account: debited, debit: line.minor, credit: 0n },
        { ...entry, account: credited, debit: 0n, credit: line.minor },
      ];
    });
}

/** A period's settled overage, named for the journal. */
export interface OverageSettlementLine extends SettledOverage {
  /** `<subscriptionId>.p<period>`. */
  readonly settlementId: string;
  readonly customerId: string;
}

/**
 * The overage invoiced at the end of billing periods, as journal entries of the month each period
 * ended in: receivable debited, revenue credited (usage no credit paid for never passes through
 * deferred revenue). What was written off bills nothing and books nothing.
 */
export function overageJournalEntries(
  settlements: readonly OverageSettlementLine[],
  accounts: RevenueAccounts = DEFAULT_REVENUE_ACCOUNTS,
): JournalEntry[] {
  return settlements
    .filter((settled) => settled.amount !== 0n)
    .flatMap((settled) => {
      const entry = {
        lineId: `${settled.customerId}/overage/${settled.settlementId}`,
        month: overageMonthOf(settled),
        customerId: settled.customerId,
        currency: settled.currency,
        kind: 'overage' as const,
        late: false,
        items: 1,
      };
      return [
        { ...entry, account: accounts.cash, debit: settled.amount, credit: 0n },
        { ...entry, account: accounts.revenue, debit: 0n, credit: settled.amount },
      ];
    });
}
