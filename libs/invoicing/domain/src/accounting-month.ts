/** A calendar month in UTC, `YYYY-MM`: the period revenue is reported and closed by. */
export type AccountingMonth = string;

const MONTH_PATTERN = /^[0-9]{4}-(0[1-9]|1[0-2])$/;

export const isAccountingMonth = (value: unknown): value is AccountingMonth =>
  typeof value === 'string' && MONTH_PATTERN.test(value);

export const monthOf = (at: Date): AccountingMonth => at.toISOString().slice(0, 7);

export function nextMonth(month: AccountingMonth): AccountingMonth {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return monthNumber === 12
    ? `${year + 1}-01`
    : `${year}-${String(monthNumber + 1).padStart(2, '0')}`;
}

/**
 * Where an item dated in `month` is booked when every month up to `closedThrough` is closed: in
 * its own month while that is open, else in the first open one (and then it is late).
 */
export function postingMonth(
  month: AccountingMonth,
  closedThrough: AccountingMonth | null,
): { readonly month: AccountingMonth; readonly late: boolean } {
  if (closedThrough === null || month > closedThrough) return { month, late: false };
  return { month: nextMonth(closedThrough), late: true };
}
