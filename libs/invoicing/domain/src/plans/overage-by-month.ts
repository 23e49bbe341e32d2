import { monthOf, type AccountingMonth } from '../accounting-month';

/** One billing period's overage as it was settled at the period's end. */
export interface SettledOverage {
  readonly currency: string;
  readonly periodEnd: Date;
  /** Micro-credits billed on the period's overage invoice. */
  readonly invoicedCredits: bigint;
  /** What that invoice charged, in minor units. */
  readonly amount: bigint;
  /** Micro-credits forgiven (uncovered usage of a `write-off` plan, or too little to bill). */
  readonly writtenOffCredits: bigint;
}

/** A customer's settled overage in one currency and month. */
export interface OverageMonth {
  readonly currency: string;
  /** The month the settled periods ended in (the month of their last instant). */
  readonly month: AccountingMonth;
  readonly invoicedCredits: bigint;
  readonly invoiced: bigint;
  readonly writtenOffCredits: bigint;
  readonly periods: number;
}

/** The month a period's overage belongs to: the month of the period's last instant. */
export const overageMonthOf = (settled: Pick<SettledOverage, 'periodEnd'>): AccountingMonth =>
  monthOf(new Date(settled.periodEnd.getTime() - 1));

/**
 * Overage is usage no credit paid for: it never enters deferred revenue, so it is reported beside
 * the months of purchased credits, by the month its billing period ended in (a period ending at
 * midnight on 1 April is March's).
 */
export function overageByMonth(settlements: readonly SettledOverage[]): OverageMonth[] {
  const months = new Map<string, OverageMonth>();
  for (const settled of settlements) {
    const month = overageMonthOf(settled);
    const key = `${settled.currency}\u0000${month}`;
    const sum = months.get(key);
    months.set(key, {
      currency: settled.currency,
      month,
      invoicedCredits: (sum?.invoicedCredits ?? 0n) + settled.invoicedCredits,
      invoiced: (sum?.invoiced ?? 0n) + settled.amount,
      writtenOffCredits: (sum?.writtenOffCredits ?? 0n) + settled.writtenOffCredits,
      periods: (sum?.periods ?? 0) + 1,
    });
  }
  return [...months.values()].sort(
    (a, b) => a.currency.localeCompare(b.currency) || a.month.localeCompare(b.month),
  );
}
