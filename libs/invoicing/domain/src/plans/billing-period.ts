export type BillingInterval = 'month' | 'year';

const MONTHS: Record<BillingInterval, number> = { month: 1, year: 12 };

/** One billing period of a subscription: `start` inclusive, `end` exclusive, in UTC. */
export interface BillingPeriod {
  /** 0 for the period the subscription started in. */
  readonly index: number;
  readonly start: Date;
  readonly end: Date;
}

/**
 * The start of period `index` of a subscription anchored at `anchor`: the anchor's day of month
 * and time of day, `index` intervals later, the day clamped to the month's last (anchored on 31
 * January: 28 or 29 February, then 31 March). Each start is computed from the anchor, never from
 * the period before, so a short month does not pull every later period earlier.
 */
export function periodStart(anchor: Date, interval: BillingInterval, index: number): Date {
  const months = anchor.getUTCMonth() + index * MONTHS[interval];
  const year = anchor.getUTCFullYear() + Math.floor(months / 12);
  const month = ((months % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      year,
      month,
      Math.min(anchor.getUTCDate(), lastDay),
      anchor.getUTCHours(),
      anchor.getUTCMinutes(),
      anchor.getUTCSeconds(),
      anchor.getUTCMilliseconds(),
    ),
  );
}

export function billingPeriod(
  anchor: Date,
  interval: BillingInterval,
  index: number,
): BillingPeriod {
  return {
    index,
    start: periodStart(anchor, interval, index),
    end: periodStart(anchor, interval, index + 1),
  };
}

/** The period `at` falls in (at or after the anchor). */
export function periodContaining(anchor: Date, interval: BillingInterval, at: Date): BillingPeriod {
  if (at < anchor)
    throw new RangeError(`${at.toISOString()} is before the anchor ${anchor.toISOString()}`);
  const monthsApart =
    (at.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + at.getUTCMonth() - anchor.getUTCMonth();
  // The estimate is off by at most one period either way (day and time of day within the month).
  let index = Math.max(0, Math.floor(monthsApart / MONTHS[interval]) - 1);
  while (periodStart(anchor, interval, index + 1) <= at) index++;
  return billingPeriod(anchor, interval, index);
}
