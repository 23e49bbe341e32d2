import type { StoredRatedUsage } from './rated-usage';

interface Totals {
  readonly group: string;
  readonly currency: string;
  events: number;
  credits: bigint;
  revenueMicros: bigint;
  costMicros: bigint;
  /** Events whose provider cost is unknown: their margin is not counted. */
  eventsWithoutCost: number;
}

/** What a group of rated usage burned, earned and cost; money of different currencies is never added up. */
export class MarginTotals {
  private readonly totals = new Map<string, Totals>();

  constructor(private readonly groupBy: string) {}

  add(rated: StoredRatedUsage): void {
    const group = this.groupOf(rated);
    const key = JSON.stringify([group, rated.currency]);
    let totals = this.totals.get(key);
    if (totals === undefined) {
      totals = {
        group,
        currency: rated.currency,
        events: 0,
        credits: 0n,
        revenueMicros: 0n,
        costMicros: 0n,
        eventsWithoutCost: 0,
      };
      this.totals.set(key, totals);
    }
    totals.events++;
    totals.credits += BigInt(rated.credits);
    totals.revenueMicros += BigInt(rated.revenueMicros);
    if (rated.costMicros === null) totals.eventsWithoutCost++;
    else totals.costMicros += BigInt(rated.costMicros);
  }

  rows() {
    return [...this.totals.values()].map((totals) => ({
      [this.groupBy]: totals.group,
      currency: totals.currency,
      events: totals.events,
      credits: totals.credits.toString(),
      revenueMicros: totals.revenueMicros.toString(),
      costMicros: totals.costMicros.toString(),
      marginMicros: (totals.revenueMicros - totals.costMicros).toString(),
      eventsWithoutCost: totals.eventsWithoutCost,
    }));
  }

  /** `customer`, `usageType`, or any usage property such as `model` (missing: `(none)`). */
  private groupOf(rated: StoredRatedUsage): string {
    if (this.groupBy === 'customer') return rated.customerId;
    if (this.groupBy === 'usageType') return rated.usageType;
    const value = rated.properties[this.groupBy];
    return value === undefined ? '(none)' : String(value);
  }
}
