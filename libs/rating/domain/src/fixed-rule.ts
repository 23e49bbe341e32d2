import { multiplyRounded, parseDecimal, type RoundingMode } from '@burndown/money';

/**
 * The walking skeleton's only price: every usage type costs the same per unit. Versioned rate
 * cards replace it (issue 4); the shape of a rating result stays.
 */
export interface FlatRule {
  readonly ruleId: string;
  /** Micro-credits charged per unit of quantity. */
  readonly microCreditsPerUnit: bigint;
  readonly rounding: RoundingMode;
}

/** 1 credit per 1,000 units (tokens, say), rounded up to the micro-credit. */
export const DEFAULT_FLAT_RULE: FlatRule = {
  ruleId: 'flat-1-credit-per-1000-units',
  microCreditsPerUnit: 1_000n,
  rounding: 'up',
};

export interface UsageToRate {
  readonly usageEventId: string;
  readonly usageType: string;
  /** Non-negative decimal string ("1500", "0.25"). */
  readonly quantity: string;
}

export interface RatedUsage {
  readonly usageEventId: string;
  readonly usageType: string;
  readonly quantity: string;
  /** Micro-credits to burn. */
  readonly amount: bigint;
  readonly ruleId: string;
}

/** Throws InvalidDecimalError for a quantity that is not a non-negative decimal. */
export function rateWithFlatRule(usage: UsageToRate, rule: FlatRule = DEFAULT_FLAT_RULE): RatedUsage {
  const quantity = parseDecimal(usage.quantity);
  return {
    usageEventId: usage.usageEventId,
    usageType: usage.usageType,
    quantity: usage.quantity,
    amount: multiplyRounded(quantity, rule.microCreditsPerUnit, rule.rounding),
    ruleId: rule.ruleId,
  };
}
