import type { Submission } from './event-book';
import { LOAD_QUANTITY } from './load-generator';

/**
 * Event time of each copy, in hours after the first. The copies are far apart in event time (as
 * a client replaying an old buffer would send them) and sent in different phases of the run, on
 * either side of faults, so dedupe must hold across restarts of the services and of NATS.
 */
export const STORM_OFFSETS_HOURS = [0, 2, 5] as const;

/** The storm's ids, each sent once per round with the same id and quantity, a later timestamp. */
export class DuplicateStorm {
  /** Event time of the first copy: far enough back that the last copy is not in the future. */
  private readonly firstAt: number;

  constructor(
    private readonly count: number,
    private readonly customers: readonly string[],
    now = Date.now(),
  ) {
    this.firstAt = now - (Math.max(...STORM_OFFSETS_HOURS) + 1) * 3_600_000;
  }

  get rounds(): number {
    return STORM_OFFSETS_HOURS.length;
  }

  /** Round 1, 2 or 3: every storm id once, stamped `first + offset` hours. */
  round(round: number): Submission[] {
    const offsetHours = STORM_OFFSETS_HOURS[round - 1];
    if (offsetHours === undefined)
      throw new Error(`the storm has rounds 1 to ${this.rounds}, not ${round}`);
    const timestamp = new Date(this.firstAt + offsetHours * 3_600_000).toISOString();
    return Array.from({ length: this.count }, (_, index) => ({
      event: {
        id: `storm-${String(index).padStart(5, '0')}`,
        customerId: this.customers[index % this.customers.length] as string,
        type: 'llm.tokens',
        quantity: LOAD_QUANTITY,
        timestamp,
      },
      kind: 'storm' as const,
      copy: round,
      attempts: 0,
    }));
  }
}
