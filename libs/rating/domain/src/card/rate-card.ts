import type { RoundingMode } from '@burndown/money';
import type { Ratio } from '../pricing/ratio';

/** How a meter folds the quantities of a billing period. */
export const AGGREGATIONS = ['sum', 'count', 'max', 'unique', 'latest'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

export const BILLING_PERIODS = ['month', 'day'] as const;
export type BillingPeriod = (typeof BILLING_PERIODS)[number];

/** Selects usage events by type and properties and says which quantity of them counts. */
export interface Meter {
  readonly meterId: string;
  readonly eventType: string;
  /** Property values an event must have (all of them) to be measured. */
  readonly filter: Readonly<Record<string, string>>;
  /** The event's `quantity` (property null) or a numeric property, in `unit`. */
  readonly quantity: { readonly property: string | null; readonly unit: string };
  readonly aggregation: Aggregation;
  /** For `unique`: the property whose distinct values are counted. */
  readonly uniqueProperty: string | null;
}

/** `credits` for every `per.quantity` of `per.unit`. */
export interface Per {
  readonly quantity: Ratio;
  readonly unit: string;
}

export interface Tier {
  /** Inclusive upper bound in `per` units; null for the last tier. */
  readonly upTo: Ratio | null;
  /** Credits per `per` unit inside this tier. */
  readonly credits: Ratio;
  /** Credits charged once when usage enters this tier. */
  readonly flat: Ratio;
}

export type Price =
  | {
      readonly type: 'per-unit';
      readonly credits: Ratio;
      readonly per: Per;
      /** GPU-seconds × tier multiplier: the value of `property` picks a factor. */
      readonly multiplier: {
        readonly property: string;
        readonly values: Readonly<Record<string, Ratio>>;
      } | null;
    }
  | { readonly type: 'per-action'; readonly credits: Ratio }
  /** Graduated: each unit priced by the tier it falls in. Volume: all units by the tier the total reaches. */
  | { readonly type: 'graduated' | 'volume'; readonly per: Per; readonly tiers: readonly Tier[] };

export interface Rounding {
  readonly mode: RoundingMode;
  /** Charges are whole multiples of this many micro-credits. */
  readonly unitMicroCredits: bigint;
}

export interface BurnRule {
  readonly ruleId: string;
  readonly meterId: string;
  /** Dimension → accepted values (model, region, feature, tier, any property); absent: any value. */
  readonly match: Readonly<Record<string, readonly string[]>>;
  /** Higher wins when several rules of a meter match; equal precedence falls to the more specific. */
  readonly precedence: number;
  readonly price: Price;
  /** Per event, in credits. */
  readonly minimum: Ratio | null;
  readonly maximum: Ratio | null;
  readonly rounding: Rounding;
}

/** What the provider charges us, to know the margin: millionths of the minor unit per `per`. */
export interface ProviderPrice {
  readonly meterId: string;
  readonly match: Readonly<Record<string, readonly string[]>>;
  readonly microsPer: Ratio;
  readonly per: Per;
}

export interface RateCard {
  readonly cardId: string;
  readonly name: string;
  /** Revenue-equivalent of one credit: millionths of the currency's minor unit (1 cent = 1,000,000). */
  readonly currency: string;
  readonly microsPerCredit: bigint;
  readonly period: BillingPeriod;
  readonly meters: readonly Meter[];
  readonly rules: readonly BurnRule[];
  readonly providerPrices: readonly ProviderPrice[];
}

export const DEFAULT_ROUNDING: Rounding = { mode: 'up', unitMicroCredits: 1n };
