import { nextMonth, type AccountingMonth } from './accounting-month';
import type { RevenueLine } from './revenue-line';

/** What is still deferred of the credits bought in one month, at the end of each month since. */
export interface WaterfallRow {
  readonly currency: string;
  readonly purchasedIn: AccountingMonth;
  readonly purchased: bigint;
  readonly deferredAtEndOf: readonly {
    readonly month: AccountingMonth;
    readonly deferred: bigint;
  }[];
}

interface Row {
  readonly currency: string;
  readonly purchasedIn: AccountingMonth;
  purchased: bigint;
  /** Deferred added (purchases) less deferred taken (everything else), by month booked. */
  readonly changes: Map<AccountingMonth, bigint>;
}

/**
 * The deferred-revenue waterfall of the lines given (filter them first for one customer): a row
 * per currency and month of purchase, a column per month through `through`, in minor units.
 */
export function deferredWaterfall(
  lines: readonly RevenueLine[],
  through: AccountingMonth,
): WaterfallRow[] {
  const rows = new Map<string, Row>();
  for (const line of lines) {
    const key = `${line.currency}\u0000${line.purchasedIn}`;
    let row = rows.get(key);
    if (row === undefined) {
      row = {
        currency: line.currency,
        purchasedIn: line.purchasedIn,
        purchased: 0n,
        changes: new Map(),
      };
      rows.set(key, row);
    }
    if (line.kind === 'purchased') row.purchased += line.minor;
    const change = line.kind === 'purchased' ? line.minor : -line.minor;
    row.changes.set(line.month, (row.changes.get(line.month) ?? 0n) + change);
  }
  return [...rows.values()]
    .sort(
      (a, b) => a.currency.localeCompare(b.currency) || a.purchasedIn.localeCompare(b.purchasedIn),
    )
    .map((row) => {
      const columns: { month: AccountingMonth; deferred: bigint }[] = [];
      let deferred = 0n;
      const first = [...row.changes.keys()].sort()[0] as AccountingMonth;
      for (let month = first; month <= through; month = nextMonth(month)) {
        deferred += row.changes.get(month) ?? 0n;
        columns.push({ month, deferred });
      }
      return {
        currency: row.currency,
        purchasedIn: row.purchasedIn,
        purchased: row.purchased,
        deferredAtEndOf: columns,
      };
    });
}
