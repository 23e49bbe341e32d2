import { nextMonth, type AccountingMonth } from './accounting-month';
import type { RevenueLine } from './revenue-line';
import type { MovementKind } from './revenue-movement';

/** One customer's revenue in one currency and month, in minor units. */
export interface MonthlyRevenue {
  readonly customerId: string;
  readonly currency: string;
  readonly month: AccountingMonth;
  readonly openingDeferred: bigint;
  readonly purchased: bigint;
  readonly recognised: bigint;
  readonly breakage: bigint;
  readonly refunded: bigint;
  readonly closingDeferred: bigint;
  /** Movements booked here that happened in a month already closed. */
  readonly lateItems: number;
}

type Flows = Record<MovementKind, bigint>;
const noFlows = (): Flows => ({ purchased: 0n, recognised: 0n, breakage: 0n, refunded: 0n });

/**
 * Per customer and currency, every month from its first line through `through` (or its last
 * line): opening deferred + purchased − recognised − breakage − refunded = closing deferred,
 * to the minor unit, because every figure is a sum of the lines' minor units.
 */
export function monthlyRevenue(
  lines: readonly RevenueLine[],
  through?: AccountingMonth,
): MonthlyRevenue[] {
  const books = new Map<
    string,
    { customerId: string; currency: string; months: Map<string, { flows: Flows; late: number }> }
  >();
  for (const line of lines) {
    const key = `${line.customerId}\u0000${line.currency}`;
    let book = books.get(key);
    if (book === undefined) {
      book = { customerId: line.customerId, currency: line.currency, months: new Map() };
      books.set(key, book);
    }
    let month = book.months.get(line.month);
    if (month === undefined) {
      month = { flows: noFlows(), late: 0 };
      book.months.set(line.month, month);
    }
    month.flows[line.kind] += line.minor;
    if (line.late) month.late += line.items;
  }
  const rows: MonthlyRevenue[] = [];
  for (const book of [...books.values()].sort(byCustomerAndCurrency)) {
    const booked = [...book.months.keys()].sort();
    const last =
      through !== undefined && through > (booked.at(-1) as string)
        ? through
        : (booked.at(-1) as string);
    let deferred = 0n;
    for (let month = booked[0] as string; month <= last; month = nextMonth(month)) {
      const { flows, late } = book.months.get(month) ?? { flows: noFlows(), late: 0 };
      const closing =
        deferred + flows.purchased - flows.recognised - flows.breakage - flows.refunded;
      rows.push({
        customerId: book.customerId,
        currency: book.currency,
        month,
        openingDeferred: deferred,
        ...flows,
        closingDeferred: closing,
        lateItems: late,
      });
      deferred = closing;
    }
  }
  return rows;
}

const byCustomerAndCurrency = (
  a: { customerId: string; currency: string },
  b: { customerId: string; currency: string },
) => a.customerId.localeCompare(b.customerId) || a.currency.localeCompare(b.currency);
