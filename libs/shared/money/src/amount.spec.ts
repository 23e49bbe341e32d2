import { parseAmount, isAmountText } from './amount';

describe('parseAmount', () => {
  it('reads integers far beyond Number.MAX_SAFE_INTEGER exactly', () => {
    expect(parseAmount('123456789012345678901234567890')).toBe(123456789012345678901234567890n);
  });

  it.each(['-1', '1.5', '', '007', '1e6', ' 1', '1234567890123456789012345678901'])('rejects %j', (text) => {
    expect(isAmountText(text)).toBe(false);
    expect(() => parseAmount(text)).toThrow(/non-negative integer/);
  });
});
