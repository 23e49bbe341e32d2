import { divideRounded, parseDecimal, type Decimal, type RoundingMode } from '@burndown/money';

/**
 * An exact non-negative fraction: prices, quantities and unit factors multiply without rounding,
 * and a charge is rounded once, at the end, by the rule's stated mode.
 */
export interface Ratio {
  readonly num: bigint;
  readonly den: bigint;
}

export const ratio = (num: bigint, den = 1n): Ratio => ({ num, den });
export const ZERO: Ratio = ratio(0n);
export const ONE: Ratio = ratio(1n);

export const fromDecimal = (value: Decimal): Ratio =>
  ratio(value.units, 10n ** BigInt(value.scale));
/** Throws InvalidDecimalError for anything but a non-negative decimal string. */
export const parseRatio = (text: string): Ratio => fromDecimal(parseDecimal(text));

export const add = (a: Ratio, b: Ratio): Ratio =>
  a.den === b.den
    ? ratio(a.num + b.num, a.den)
    : ratio(a.num * b.den + b.num * a.den, a.den * b.den);
export const subtract = (a: Ratio, b: Ratio): Ratio =>
  a.den === b.den
    ? ratio(a.num - b.num, a.den)
    : ratio(a.num * b.den - b.num * a.den, a.den * b.den);
export const multiply = (a: Ratio, b: Ratio): Ratio => ratio(a.num * b.num, a.den * b.den);
export const divide = (a: Ratio, b: Ratio): Ratio => ratio(a.num * b.den, a.den * b.num);
export const compare = (a: Ratio, b: Ratio): number => {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
};
export const min = (a: Ratio, b: Ratio): Ratio => (compare(a, b) <= 0 ? a : b);
export const max = (a: Ratio, b: Ratio): Ratio => (compare(a, b) >= 0 ? a : b);
export const isZero = (a: Ratio): boolean => a.num === 0n;

/** Rounded to a whole multiple of `unit` (a positive integer), by `mode`. */
export function roundTo(value: Ratio, unit: bigint, mode: RoundingMode): bigint {
  return divideRounded(value.num, value.den * unit, mode) * unit;
}

/** Shortest exact decimal when the denominator allows one, else up to 18 fraction digits, rounded down. */
export function formatRatio(value: Ratio): string {
  const scale = 18n;
  const scaled = (value.num * 10n ** scale) / value.den;
  const digits = scaled.toString().padStart(Number(scale) + 1, '0');
  const whole = digits.slice(0, digits.length - Number(scale));
  const fraction = digits.slice(digits.length - Number(scale)).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}
