import type { Properties } from '../card/compiled-card';

/** Where a line stands in its meter's period, for rules priced on the period's total. */
export interface CounterAfter {
  readonly periodKey: string;
  /** The meter's aggregate for the period after this event, as an exact decimal string. */
  readonly aggregate: string;
  /** Micro-credits charged in the period so far, this event included. */
  readonly billed: bigint;
  /** For unique-count meters: the value this event added, if it was new. */
  readonly uniqueValue: string | null;
}

export interface RatedLine {
  readonly meterId: string;
  readonly ruleId: string;
  /** The event's quantity for this meter, in the meter's unit. */
  readonly quantity: string;
  readonly credits: bigint;
  readonly counter: CounterAfter | null;
}

interface EventData {
  readonly commandId: string;
  readonly at: Date;
}

type Event<Type extends string, Data> = {
  readonly type: Type;
  readonly data: EventData & Readonly<Data>;
};

export type RateCardAssigned = Event<'RateCardAssigned', { cardId: string }>;
/** Rules (in their JSON form) that replace or add to the assigned card's rules for this customer. */
export type RateOverrideSet = Event<
  'RateOverrideSet',
  { rules: readonly Readonly<Record<string, unknown>>[] }
>;
export type UsageRated = Event<
  'UsageRated',
  {
    usageEventId: string;
    usageType: string;
    occurredAt: Date;
    quantity: string;
    properties: Properties;
    cardId: string;
    cardVersion: number;
    lines: readonly RatedLine[];
    /** Micro-credits to burn. */
    credits: bigint;
    currency: string;
    /** Revenue-equivalent and provider cost, in millionths of the currency's minor unit. */
    revenueMicros: bigint;
    costMicros: bigint | null;
  }
>;

export type RatingEvent = RateCardAssigned | RateOverrideSet | UsageRated;
