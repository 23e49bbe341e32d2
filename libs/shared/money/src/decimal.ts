/**
 * Exact decimal quantities (usage can be fractional: 1.5 GPU-seconds) as a bigint numerator over
 * 10^scale. No floating point touches a quantity on its way to credits.
 */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

export const MAX_FRACTION_DIGITS = 18;
const DECIMAL_PATTERN = /^(0|[1-9][0-9]{0,29})(?:\.([0-9]{1,18}))?$/;

export class InvalidDecimalError extends Error {
  override readonly name = 'InvalidDecimalError';
}

/** Accepts "1500", "0.25"; rejects signs, exponents, blanks and more than 18 fraction digits. */
export function parseDecimal(text: string): Decimal {
  const match = DECIMAL_PATTERN.exec(text);
  if (!match) {
    throw new InvalidDecimalError(
      `expected a non-negative decimal such as "1500" or "0.25" (at most ${MAX_FRACTION_DIGITS} fraction digits), got ${JSON.stringify(text)}`,
    );
  }
  const fraction = match[2] ?? '';
  return { units: BigInt(`${match[1]}${fraction}`), scale: fraction.length };
}

export const isDecimalText = (text: unknown): text is string =>
  typeof text === 'string' && DECIMAL_PATTERN.test(text);

export function formatDecimal(value: Decimal): string {
  if (value.scale === 0) return value.units.toString();
  const digits = value.units.toString().padStart(value.scale + 1, '0');
  const whole = digits.slice(0, digits.length - value.scale);
  const fraction = digits.slice(digits.length - value.scale).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

export type RoundingMode = 'up' | 'down' | 'half-up' | 'half-even';

/**
 * numerator / denominator rounded to an integer with an explicit mode, for non-negative values.
 * Billing rounds usage up by default so fractional usage is never free.
 */
export function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  if (numerator < 0n) throw new RangeError('numerator must be non-negative');
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  if (remainder === 0n) return quotient;
  switch (mode) {
    case 'down':
      return quotient;
    case 'up':
      return quotient + 1n;
    case 'half-up':
      return remainder * 2n >= denominator ? quotient + 1n : quotient;
    case 'half-even': {
      const twice = remainder * 2n;
      if (twice > denominator) return quotient + 1n;
      if (twice < denominator) return quotient;
      return quotient % 2n === 0n ? quotient : quotient + 1n;
    }
  }
}

/** value × rate (an integer per 10^rateScale) in whole smallest units, rounded once at the end. */
export function multiplyRounded(value: Decimal, ratePerUnit: bigint, mode: RoundingMode): bigint {
  return divideRounded(value.units * ratePerUnit, 10n ** BigInt(value.scale), mode);
}
