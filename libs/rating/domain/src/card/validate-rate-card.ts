import { compare, isZero } from '../pricing/ratio';
import { dimensionOf, isUnit } from '../pricing/units';
import type { JsonReader } from './json-reader';
import type { BurnRule, Meter, Per, RateCard } from './rate-card';

/**
 * What a well-formed card must also satisfy: references resolve, units exist and fit their meter,
 * tiers ascend, and no usage event could match two rules of one meter with nothing to choose
 * between them (same precedence, same specificity).
 */
export function validateRateCard(card: RateCard, reader: JsonReader): void {
  const meters = new Map<string, Meter>();
  card.meters.forEach((meter, index) => {
    const path = `$.meters[${index}]`;
    if (meters.has(meter.meterId))
      reader.problem(`${path}.meterId`, `meter ${meter.meterId} is defined twice`);
    meters.set(meter.meterId, meter);
    if (!isUnit(meter.quantity.unit))
      reader.problem(`${path}.quantity.unit`, `unknown unit ${meter.quantity.unit}`);
    if (meter.aggregation === 'unique' && meter.uniqueProperty === null) {
      reader.problem(
        `${path}.uniqueProperty`,
        'a unique-count meter names the property whose values it counts',
      );
    }
  });
  const ruleIds = new Set<string>();
  card.rules.forEach((rule, index) => {
    const path = `$.rules[${index}]`;
    const ruleReader = reader.forRule(rule.ruleId);
    if (ruleIds.has(rule.ruleId))
      ruleReader.problem(`${path}.ruleId`, `rule ${rule.ruleId} is defined twice`);
    ruleIds.add(rule.ruleId);
    const meter = meters.get(rule.meterId);
    if (meter === undefined) {
      ruleReader.problem(`${path}.meterId`, `unknown meter ${rule.meterId}`);
      return;
    }
    validatePrice(rule, meter, path, ruleReader);
    if (rule.minimum !== null && rule.maximum !== null && compare(rule.minimum, rule.maximum) > 0) {
      ruleReader.problem(`${path}.minimum`, 'the minimum per event is above the maximum');
    }
  });
  card.providerPrices.forEach((price, index) => {
    const meter = meters.get(price.meterId);
    if (meter === undefined)
      reader.problem(`$.providerPrices[${index}].meterId`, `unknown meter ${price.meterId}`);
    else checkPer(price.per, meter, `$.providerPrices[${index}].per`, reader);
  });
  findAmbiguities(card.rules, reader);
}

function validatePrice(rule: BurnRule, meter: Meter, path: string, reader: JsonReader): void {
  const price = rule.price;
  if (price.type === 'per-action') return;
  checkPer(price.per, meter, `${path}.price.per`, reader);
  if (price.type === 'per-unit') return;
  if (price.tiers.length === 0)
    reader.problem(`${path}.price.tiers`, 'a tiered price needs at least one tier');
  price.tiers.forEach((tier, index) => {
    const tierPath = `${path}.price.tiers[${index}].upTo`;
    const last = index === price.tiers.length - 1;
    if (last !== (tier.upTo === null))
      reader.problem(
        tierPath,
        last
          ? 'the last tier has no upper bound (upTo: null)'
          : 'only the last tier may be unbounded',
      );
    const previous = price.tiers[index - 1]?.upTo;
    if (
      tier.upTo !== null &&
      previous !== null &&
      previous !== undefined &&
      compare(tier.upTo, previous) <= 0
    ) {
      reader.problem(tierPath, 'tier bounds must ascend');
    }
  });
}

function checkPer(per: Per, meter: Meter, path: string, reader: JsonReader): void {
  if (!isUnit(per.unit)) {
    reader.problem(`${path}.unit`, `unknown unit ${per.unit}`);
    return;
  }
  if (isZero(per.quantity)) reader.problem(`${path}.quantity`, 'must be more than zero');
  const measured =
    meter.aggregation === 'count' || meter.aggregation === 'unique'
      ? 'count'
      : dimensionOf(meter.quantity.unit);
  if (measured !== undefined && dimensionOf(per.unit) !== measured) {
    reader.problem(
      `${path}.unit`,
      `${per.unit} cannot price meter ${meter.meterId}, which measures ${measured}`,
    );
  }
}

/** Two rules of a meter overlap when, on every dimension both constrain, their value sets meet. */
function findAmbiguities(rules: readonly BurnRule[], reader: JsonReader): void {
  const byMeter = new Map<string, BurnRule[]>();
  for (const rule of rules) byMeter.set(rule.meterId, [...(byMeter.get(rule.meterId) ?? []), rule]);
  for (const meterRules of byMeter.values()) {
    for (let i = 0; i < meterRules.length; i++) {
      for (let j = i + 1; j < meterRules.length; j++) {
        const a = meterRules[i] as BurnRule;
        const b = meterRules[j] as BurnRule;
        if (a.precedence !== b.precedence || specificity(a) !== specificity(b) || !overlap(a, b))
          continue;
        reader
          .forRule(a.ruleId)
          .problem(
            `$.rules[${rules.indexOf(a)}].match`,
            `overlaps rule ${b.ruleId} on meter ${a.meterId} with the same precedence and specificity: give one a higher precedence or narrow its match`,
          );
      }
    }
  }
}

export const specificity = (rule: {
  readonly match: Readonly<Record<string, readonly string[]>>;
}): number => Object.keys(rule.match).length;

function overlap(a: BurnRule, b: BurnRule): boolean {
  for (const [dimension, values] of Object.entries(a.match)) {
    const others = b.match[dimension];
    if (others !== undefined && !values.some((value) => others.includes(value))) return false;
  }
  return true;
}
