import { EXACT_PER_MINOR_UNIT, exactValueOf, roundToMinorUnits } from './exact-money';

describe('exact money', () => {
  it('values micro-credits at a cost basis without losing a fraction', () => {
    // 1 credit at 333.333333 cents (a €10 pack of 3 credits): a third of a cent stays exact.
    expect(exactValueOf(1_000_000n, 333_333_333n)).toBe(333_333_333_000_000n);
    expect(exactValueOf(1n, 1n)).toBe(1n);
  });

  it('rounds to minor units half away from zero', () => {
    const minor = EXACT_PER_MINOR_UNIT;
    expect(roundToMinorUnits(0n)).toBe(0n);
    expect(roundToMinorUnits(minor / 2n - 1n)).toBe(0n);
    expect(roundToMinorUnits(minor / 2n)).toBe(1n);
    expect(roundToMinorUnits(3n * minor + minor / 2n)).toBe(4n);
    expect(roundToMinorUnits(-(minor / 2n))).toBe(-1n);
    expect(roundToMinorUnits(-(minor / 2n) + 1n)).toBe(0n);
  });
});
