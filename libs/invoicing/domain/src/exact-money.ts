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

/** Minor units, half away from zero (what an accountant does with half a cent). */
export function roundToMinorUnits(exact: bigint): bigint {
  const negative = exact < 0n;
  const magnitude = negative ? -exact : exact;
  const whole = magnitude / EXACT_PER_MINOR_UNIT;
  const rounded =
    2n * (magnitude % EXACT_PER_MINOR_UNIT) >= EXACT_PER_MINOR_UNIT ? whole + 1n : whole;
  return negative ? -rounded : rounded;
}
