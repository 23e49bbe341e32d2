import { specificity } from './validate-rate-card';
import type { BurnRule, Meter, ProviderPrice, RateCard } from './rate-card';

export const ANY_EVENT_TYPE = '*';

export type PropertyValue = string | number | boolean;
export type Properties = Readonly<Record<string, PropertyValue>>;

const matches = (
  match: Readonly<Record<string, readonly string[]>>,
  properties: Properties,
): boolean => {
  for (const dimension in match) {
    const value = properties[dimension];
    if (value === undefined || !(match[dimension] as readonly string[]).includes(String(value)))
      return false;
  }
  return true;
};

const better = (a: BurnRule, b: BurnRule): boolean =>
  a.precedence !== b.precedence ? a.precedence > b.precedence : specificity(a) > specificity(b);

/**
 * The rules of one meter, indexed on the dimension most of them constrain (the model, say): a
 * lookup reads the few rules for the event's value of it plus the rules that do not constrain it,
 * each list already in precedence order, instead of scanning every rule.
 */
export class RuleIndex {
  private readonly dimension: string | null;
  private readonly byValue = new Map<string, BurnRule[]>();
  private readonly unconstrained: BurnRule[] = [];

  constructor(rules: readonly BurnRule[]) {
    const counts = new Map<string, number>();
    for (const rule of rules)
      for (const dimension of Object.keys(rule.match))
        counts.set(dimension, (counts.get(dimension) ?? 0) + 1);
    this.dimension = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
    for (const rule of rules) {
      const values = this.dimension === null ? undefined : rule.match[this.dimension];
      if (values === undefined) this.unconstrained.push(rule);
      else
        for (const value of values)
          this.byValue.set(value, [...(this.byValue.get(value) ?? []), rule]);
    }
    const order = (a: BurnRule, b: BurnRule) => (better(a, b) ? -1 : better(b, a) ? 1 : 0);
    for (const list of this.byValue.values()) list.sort(order);
    this.unconstrained.sort(order);
  }

  find(properties: Properties): BurnRule | undefined {
    const value = this.dimension === null ? undefined : properties[this.dimension];
    const indexed =
      value === undefined
        ? undefined
        : this.byValue.get(String(value))?.find((rule) => matches(rule.match, properties));
    const open = this.unconstrained.find((rule) => matches(rule.match, properties));
    if (indexed === undefined) return open;
    if (open === undefined) return indexed;
    return better(open, indexed) ? open : indexed;
  }
}

export interface CompiledMeter {
  readonly meter: Meter;
  /** The meter's property filter as pairs, read once per event. */
  readonly filter: readonly (readonly [string, string])[];
  readonly rules: RuleIndex;
  readonly providerPrices: readonly ProviderPrice[];
}

/** A card version ready to rate with: meters by event type, rules indexed per meter. */
export class CompiledCard {
  private readonly metersByType = new Map<string, CompiledMeter[]>();

  constructor(
    readonly card: RateCard,
    readonly version: number,
  ) {
    for (const meter of card.meters) {
      const compiled: CompiledMeter = {
        meter,
        filter: Object.entries(meter.filter),
        rules: new RuleIndex(card.rules.filter((rule) => rule.meterId === meter.meterId)),
        providerPrices: card.providerPrices.filter((price) => price.meterId === meter.meterId),
      };
      this.metersByType.set(meter.eventType, [
        ...(this.metersByType.get(meter.eventType) ?? []),
        compiled,
      ]);
    }
  }

  /** Meters that measure an event of this type with these properties. */
  metersFor(eventType: string, properties: Properties): readonly CompiledMeter[] {
    // A meter of event type `*` measures whatever no meter names: a catch-all price.
    const meters = this.metersByType.get(eventType) ?? this.metersByType.get(ANY_EVENT_TYPE);
    if (meters === undefined) return [];
    if (meters.every(({ filter }) => filter.length === 0)) return meters;
    return meters.filter(({ filter }) =>
      filter.every(([key, value]) => String(properties[key]) === value),
    );
  }

  providerPriceFor(meter: CompiledMeter, properties: Properties): ProviderPrice | undefined {
    return meter.providerPrices.find((price) => matches(price.match, properties));
  }
}
