import type { Per, Price, Tier } from '../card/rate-card';
import type { Properties } from '../card/compiled-card';
import {
  add,
  compare,
  divide,
  max,
  min,
  multiply,
  ratio,
  subtract,
  ZERO,
  type Ratio,
} from './ratio';
import { conversion } from './units';

/** How many `per` units `quantity` (in `unit`) is: 2,500 tokens at "per 1,000 tokens" is 2.5. */
export const inPerUnits = (quantity: Ratio, unit: string, per: Per): Ratio =>
  divide(multiply(quantity, conversion(unit, per.unit)), per.quantity);

export class PriceNotApplicable extends Error {
  override readonly name = 'PriceNotApplicable';
}

/**
 * Exact credits for a quantity under a price: for a tiered price, the quantity is the period's
 * total so far, and the caller charges the difference from what it already charged.
 */
export function creditsFor(
  price: Price,
  quantity: Ratio,
  unit: string,
  properties: Properties,
): Ratio {
  switch (price.type) {
    case 'per-action':
      return multiply(price.credits, quantity);
    case 'per-unit': {
      const credits = multiply(price.credits, inPerUnits(quantity, unit, price.per));
      if (price.multiplier === null) return credits;
      const key = properties[price.multiplier.property];
      const factor = key === undefined ? undefined : price.multiplier.values[String(key)];
      if (factor === undefined) {
        throw new PriceNotApplicable(
          `no multiplier for ${price.multiplier.property}=${key === undefined ? '(missing)' : String(key)}`,
        );
      }
      return multiply(credits, factor);
    }
    case 'graduated':
      return graduated(price.tiers, inPerUnits(quantity, unit, price.per));
    case 'volume':
      return volume(price.tiers, inPerUnits(quantity, unit, price.per));
  }
}

/** Each unit at the rate of the tier it falls in, plus the flat fee of every tier entered. */
function graduated(tiers: readonly Tier[], total: Ratio): Ratio {
  let credits = ZERO;
  let floor = ZERO;
  for (const tier of tiers) {
    if (compare(total, floor) <= 0 && compare(floor, ZERO) > 0) break;
    const ceiling = tier.upTo === null ? total : min(total, tier.upTo);
    const inTier = max(subtract(ceiling, floor), ZERO);
    if (compare(inTier, ZERO) > 0 || compare(floor, ZERO) === 0) credits = add(credits, tier.flat);
    credits = add(credits, multiply(inTier, tier.credits));
    if (tier.upTo === null || compare(total, tier.upTo) <= 0) break;
    floor = tier.upTo;
  }
  return compare(total, ZERO) === 0 ? ZERO : credits;
}

/** Every unit at the rate of the tier the total reaches, plus that tier's flat fee. */
function volume(tiers: readonly Tier[], total: Ratio): Ratio {
  if (compare(total, ZERO) === 0) return ZERO;
  const tier =
    tiers.find((candidate) => candidate.upTo === null || compare(total, candidate.upTo) <= 0) ??
    (tiers.at(-1) as Tier);
  return add(multiply(total, tier.credits), tier.flat);
}

export const MICRO_CREDITS: Ratio = ratio(1_000_000n);
