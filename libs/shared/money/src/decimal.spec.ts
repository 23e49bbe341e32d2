import { divideRounded, formatDecimal, multiplyRounded, parseDecimal } from './decimal';

describe('parseDecimal', () => {
  it.each([
    ['0', 0n, 0],
    ['1500', 1500n, 0],
    ['0.25', 25n, 2],
    ['12.000001', 12000001n, 6],
  ])('reads %s exactly', (text, units, scale) => {
    expect(parseDecimal(text)).toEqual({ units, scale });
  });

  it.each(['', '-1', '+1', '1e3', '01', '1.', '.5', ' 1', 'NaN', '1.1234567890123456789'])(
    'rejects %j',
    (text) => {
      expect(() => parseDecimal(text)).toThrow(/non-negative decimal/);
    },
  );

  it('formats back without trailing zeros', () => {
    expect(formatDecimal(parseDecimal('12.500'))).toBe('12.5');
    expect(formatDecimal(parseDecimal('0.05'))).toBe('0.05');
    expect(formatDecimal(parseDecimal('7'))).toBe('7');
  });
});

describe('rounding', () => {
  it.each([
    [7n, 2n, 'down', 3n],
    [7n, 2n, 'up', 4n],
    [5n, 2n, 'half-up', 3n],
    [5n, 2n, 'half-even', 2n],
    [7n, 2n, 'half-even', 4n],
    [6n, 3n, 'up', 2n],
  ] as const)('%d / %d rounded %s is %d', (n, d, mode, expected) => {
    expect(divideRounded(n, d, mode)).toBe(expected);
  });

  it('multiplies a fractional quantity by a rate without floats', () => {
    // 0.3 units at 1,000 micro-credits each is exactly 300; a float would give 299.99…
    expect(multiplyRounded(parseDecimal('0.3'), 1000n, 'up')).toBe(300n);
    expect(multiplyRounded(parseDecimal('0.0001'), 1000n, 'up')).toBe(1n);
    expect(multiplyRounded(parseDecimal('0.0001'), 1000n, 'down')).toBe(0n);
  });
});
