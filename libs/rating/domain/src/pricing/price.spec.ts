import type { Price } from '../card/rate-card';
import { creditsFor } from './price';
import { formatRatio, parseRatio, roundTo, multiply, ratio } from './ratio';

const r = parseRatio;
const tiers = [
  { upTo: r('100'), credits: r('1'), flat: r('5') },
  { upTo: r('200'), credits: r('0.5'), flat: r('0') },
  { upTo: null, credits: r('0.25'), flat: r('0') },
];
const per = { quantity: r('1'), unit: 'units' };
const credits = (price: Price, quantity: string) =>
  formatRatio(creditsFor(price, r(quantity), 'units', {}));

describe('prices', () => {
  it('graduated: each unit at its own tier, a tier flat fee once on entry', () => {
    const graduated: Price = { type: 'graduated', per, tiers };
    expect(credits(graduated, '0')).toBe('0');
    expect(credits(graduated, '50')).toBe('55');
    expect(credits(graduated, '100')).toBe('105');
    expect(credits(graduated, '150')).toBe('130');
    expect(credits(graduated, '300')).toBe('180');
  });

  it('volume: every unit at the tier the total reaches', () => {
    const volume: Price = { type: 'volume', per, tiers };
    expect(credits(volume, '100')).toBe('105');
    expect(credits(volume, '150')).toBe('75');
    expect(credits(volume, '300')).toBe('75');
  });

  it('converts units exactly: 1,500 milliseconds at 2 credits per second is 3 credits', () => {
    const perSecond: Price = {
      type: 'per-unit',
      credits: r('2'),
      per: { quantity: r('1'), unit: 'seconds' },
      multiplier: null,
    };
    expect(formatRatio(creditsFor(perSecond, r('1500'), 'milliseconds', {}))).toBe('3');
  });

  it('rounds once, by mode, to a whole multiple of the unit', () => {
    const third = ratio(1n, 3n);
    expect(roundTo(multiply(third, ratio(1_000_000n)), 1n, 'up')).toBe(333_334n);
    expect(roundTo(multiply(third, ratio(1_000_000n)), 1n, 'down')).toBe(333_333n);
    expect(roundTo(multiply(third, ratio(1_000_000n)), 1_000n, 'half-even')).toBe(333_000n);
  });
});
