import { divideRounded, isDecimalText } from '@burndown/money';
import type { CompiledCard, CompiledMeter } from '../card/compiled-card';
import type { BillingPeriod, BurnRule } from '../card/rate-card';
import { creditsFor, inPerUnits, MICRO_CREDITS, PriceNotApplicable } from '../pricing/price';
import {
  add,
  compare,
  formatRatio,
  max as maxRatio,
  multiply,
  ONE,
  parseRatio,
  roundTo,
  ZERO,
  type Ratio,
} from '../pricing/ratio';
import type { RatedLine } from './rating-events';
import { RatingRefused } from './rating-refusal';
import { counterKey, type Counter } from './rating-state';
import type { Usage } from './usage';

/** Most distinct values a unique-count meter tracks per period (its state must stay bounded). */
export const MAX_UNIQUE_VALUES = 100_000;

export interface RatingResult {
  readonly lines: readonly RatedLine[];
  readonly credits: bigint;
  readonly revenueMicros: bigint;
  readonly costMicros: bigint | null;
}

/** Rates one event with a card: one line per meter that measures it; refused if any meter has no rule. */
export function rateUsage(
  usage: Usage,
  card: CompiledCard,
  counters: ReadonlyMap<string, Counter>,
): RatingResult {
  const meters = card.metersFor(usage.type, usage.properties);
  if (meters.length === 0) {
    throw new RatingRefused(
      'no-meter',
      `card ${card.card.cardId} v${card.version} has no meter for usage type ${usage.type}`,
    );
  }
  const lines: RatedLine[] = [];
  let credits = 0n;
  // Null until a provider price applies: an event with no known cost has no cost, not a zero one.
  let cost: Ratio | null = null;
  for (const meter of meters) {
    const rule = meter.rules.find(usage.properties);
    if (rule === undefined) {
      throw new RatingRefused(
        'no-rule',
        `no rule of card ${card.card.cardId} v${card.version} prices meter ${meter.meter.meterId} for ${describe(usage)}`,
      );
    }
    const { quantity, text } = quantityOf(usage, meter);
    const line = rateLine(
      usage,
      meter,
      rule,
      quantity,
      text,
      counters.get(counterKey(meter.meter.meterId, rule.ruleId)),
      card.card.period,
    );
    lines.push(line);
    credits += line.credits;
    const providerPrice = card.providerPriceFor(meter, usage.properties);
    if (usage.providerCostMicros === null && providerPrice !== undefined) {
      cost = add(
        cost ?? ZERO,
        multiply(
          providerPrice.microsPer,
          inPerUnits(quantity, meter.meter.quantity.unit, providerPrice.per),
        ),
      );
    }
  }
  return {
    lines,
    credits,
    revenueMicros: divideRounded(credits * card.card.microsPerCredit, 1_000_000n, 'half-even'),
    costMicros: usage.providerCostMicros ?? (cost === null ? null : roundTo(cost, 1n, 'half-even')),
  };
}

function rateLine(
  usage: Usage,
  meter: CompiledMeter,
  rule: BurnRule,
  quantity: Ratio,
  quantityText: string,
  counter: Counter | undefined,
  period: BillingPeriod,
): RatedLine {
  const { aggregation, quantity: measured } = meter.meter;
  const unit = measured.unit;
  const stateless =
    (aggregation === 'sum' || aggregation === 'count') &&
    (rule.price.type === 'per-unit' || rule.price.type === 'per-action');
  const base = { meterId: meter.meter.meterId, ruleId: rule.ruleId, quantity: quantityText };
  if (stateless) {
    return {
      ...base,
      credits: clamp(rule, charge(rule, creditsOf(rule, quantity, unit, usage)), quantity),
      counter: null,
    };
  }
  const periodKey = periodKeyOf(usage.occurredAt, period);
  const current = counter !== undefined && counter.periodKey === periodKey ? counter : undefined;
  let aggregate = current?.aggregate ?? ZERO;
  let uniqueValue: string | null = null;
  switch (aggregation) {
    case 'sum':
      aggregate = add(aggregate, quantity);
      break;
    case 'count':
      aggregate = add(aggregate, ONE);
      break;
    case 'max':
      aggregate = maxRatio(aggregate, quantity);
      break;
    case 'latest':
      aggregate = quantity;
      break;
    case 'unique': {
      const value = String(usage.properties[meter.meter.uniqueProperty ?? ''] ?? '');
      const seen = current?.uniques ?? new Set<string>();
      if (!seen.has(value)) {
        if (seen.size >= MAX_UNIQUE_VALUES)
          throw new RatingRefused(
            'unique-limit',
            `meter ${meter.meter.meterId} counts at most ${MAX_UNIQUE_VALUES} values per period`,
          );
        uniqueValue = value;
        aggregate = add(aggregate, ONE);
      }
      break;
    }
  }
  const billed = current?.billed ?? 0n;
  const owedSoFar = charge(rule, creditsOf(rule, aggregate, unit, usage));
  // A total priced lower than what was charged (volume tiers, a falling `latest`) is never credited back.
  const delta = owedSoFar > billed ? owedSoFar - billed : 0n;
  const credits = clamp(rule, delta, quantity);
  return {
    ...base,
    credits,
    counter: {
      periodKey,
      aggregate: formatRatio(aggregate),
      billed: billed + credits,
      uniqueValue,
    },
  };
}

function creditsOf(rule: BurnRule, quantity: Ratio, unit: string, usage: Usage): Ratio {
  try {
    return creditsFor(rule.price, quantity, unit, usage.properties);
  } catch (error) {
    if (error instanceof PriceNotApplicable)
      throw new RatingRefused('no-rule', `rule ${rule.ruleId}: ${error.message}`);
    throw error;
  }
}

/** Exact credits → micro-credits, rounded once by the rule's mode to its unit. */
const charge = (rule: BurnRule, credits: Ratio): bigint =>
  roundTo(multiply(credits, MICRO_CREDITS), rule.rounding.unitMicroCredits, rule.rounding.mode);

function clamp(rule: BurnRule, microCredits: bigint, quantity: Ratio): bigint {
  let clamped = microCredits;
  // A minimum applies to events that measured something; an event of zero costs nothing.
  if (rule.minimum !== null && compare(quantity, ZERO) > 0) {
    const minimum = roundTo(multiply(rule.minimum, MICRO_CREDITS), 1n, 'up');
    if (clamped < minimum) clamped = minimum;
  }
  if (rule.maximum !== null) {
    const maximum = roundTo(multiply(rule.maximum, MICRO_CREDITS), 1n, 'down');
    if (clamped > maximum) clamped = maximum;
  }
  return clamped;
}

/** The event's quantity for a meter, exact, with the text it was written as. */
function quantityOf(usage: Usage, meter: CompiledMeter): { quantity: Ratio; text: string } {
  const { aggregation, quantity } = meter.meter;
  if (aggregation === 'count' || aggregation === 'unique') return { quantity: ONE, text: '1' };
  if (quantity.property === null)
    return { quantity: parseRatio(usage.quantity), text: usage.quantity };
  const value = usage.properties[quantity.property];
  const text =
    typeof value === 'number' && Number.isFinite(value) && value >= 0 ? numberText(value) : value;
  if (typeof text !== 'string' || !isDecimalText(text)) {
    throw new RatingRefused(
      'bad-property',
      `meter ${meter.meter.meterId} reads property ${quantity.property} as a non-negative number, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`,
    );
  }
  return { quantity: parseRatio(text), text };
}

/** A JSON number as the exact decimal it was written as (integers and short fractions). */
const numberText = (value: number): string | undefined => {
  const text = String(value);
  return /e/i.test(text) ? undefined : text;
};

export function periodKeyOf(at: Date, period: BillingPeriod): string {
  const iso = at.toISOString();
  return period === 'month' ? iso.slice(0, 7) : iso.slice(0, 10);
}

const describe = (usage: Usage): string => `${usage.type} ${JSON.stringify(usage.properties)}`;
