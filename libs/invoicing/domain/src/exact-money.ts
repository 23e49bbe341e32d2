/**
 * Revenue is counted exactly, then rounded once, in the report. A grant's cost basis is in
 * millionths of the currency's minor unit per credit and credits are micro-credits, so
 * micro-credits × microsPerCredit is money in 10^-12 minor units: every burn, expiry and refund
 * is an integer there, and no sum ever loses a fraction.
 */
export const EXACT_PER_MINOR_UNIT = 1_000_000_000_000n;

/** The exact money value of `microCredits` at `microsPerCredit`. */
export const exactValueOf = (microCredits: bigint, microsPerCredit: bigint): bigint =>
  microCredits * microsPerCredit;

/** `dividend` ÷ `divisor` (positive), rounded half away from zero: what an accountant does with half a cent. */
export function divideRounded(dividend: bigint, divisor: bigint): bigint {
  const negative = dividend < 0n;
  const magnitude = negative ? -dividend : dividend;
  const whole = magnitude / divisor;
  const rounded = 2n * (magnitude % divisor) >= divisor ? whole + 1n : whole;
  return negative ? -rounded : rounded;
}

/** Minor units, half away from zero. */
export const roundToMinorUnits = (exact: bigint): bigint =>
  divideRounded(exact, EXACT_PER_MINOR_UNIT);
