import { commitmentShortfall } from './commitment';

describe('commitment shortfall', () => {
  it('is what the period billed short of the minimum, never less than nothing', () => {
    expect(commitmentShortfall(5_000n, [2_900n, 5n])).toBe(2_095n);
    expect(commitmentShortfall(5_000n, [])).toBe(5_000n);
    expect(commitmentShortfall(5_000n, [2_900n, 2_100n])).toBe(0n);
    expect(commitmentShortfall(5_000n, [9_000n])).toBe(0n);
  });
});
