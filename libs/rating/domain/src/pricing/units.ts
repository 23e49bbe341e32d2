import { ratio, type Ratio } from './ratio';

/** What a unit measures; quantities convert only within one dimension. */
export type Dimension = 'tokens' | 'characters' | 'time' | 'data' | 'count';

interface UnitDefinition {
  readonly dimension: Dimension;
  /** How many of the dimension's base unit one of this unit is. */
  readonly factor: Ratio;
}

const unit = (dimension: Dimension, num: bigint, den = 1n): UnitDefinition => ({
  dimension,
  factor: ratio(num, den),
});

/** The units a rate card may name. Anything else is refused when the card is validated. */
export const UNITS: Readonly<Record<string, UnitDefinition>> = {
  tokens: unit('tokens', 1n),
  'thousand-tokens': unit('tokens', 1_000n),
  'million-tokens': unit('tokens', 1_000_000n),
  characters: unit('characters', 1n),
  milliseconds: unit('time', 1n, 1_000n),
  seconds: unit('time', 1n),
  minutes: unit('time', 60n),
  hours: unit('time', 3_600n),
  bytes: unit('data', 1n),
  kilobytes: unit('data', 1_000n),
  megabytes: unit('data', 1_000_000n),
  gigabytes: unit('data', 1_000_000_000n),
  units: unit('count', 1n),
  requests: unit('count', 1n),
  actions: unit('count', 1n),
  images: unit('count', 1n),
  videos: unit('count', 1n),
  pages: unit('count', 1n),
  calls: unit('count', 1n),
};

export const isUnit = (name: string): boolean => Object.hasOwn(UNITS, name);

export function dimensionOf(name: string): Dimension | undefined {
  return isUnit(name) ? (UNITS[name] as UnitDefinition).dimension : undefined;
}

/** How many `to` one `from` is (both known units of one dimension; checked when a card is validated). */
export function conversion(from: string, to: string): Ratio {
  const source = UNITS[from] as UnitDefinition;
  const target = UNITS[to] as UnitDefinition;
  return ratio(source.factor.num * target.factor.den, source.factor.den * target.factor.num);
}
