import { creditsText, isAmountText, parseAmount } from './amount';

describe('parseAmount', () => {
  it('reads integers far beyond Number.MAX_SAFE_INTEGER exactly', () => {
    expect(parseAmount('123456789012345678901234567890')).toBe(123456789012345678901234567890n);
  });

  it.each(['-1', '1.5', '', '007', '1e6', ' 1', '1234567890123456789012345678901'])(
    'rejects %j',
    (text) => {
      expect(isAmountText(text)).toBe(false);
      expect(() => parseAmount(text)).toThrow(/non-negative integer/);
    },
  );
});

describe('creditsText', () => {
  it.each([
    [1_500_000n, '1.5'],
    [2_000_000_000n, '2000'],
    [1n, '0.000001'],
    [0n, '0'],
    [-250_000n, '-0.25'],
  ])('writes %p micro-credits as %p credits', (microCredits, text) => {
    expect(creditsText(microCredits)).toBe(text);
  });
});
