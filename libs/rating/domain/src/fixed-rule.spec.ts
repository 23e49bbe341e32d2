import { rateWithFlatRule } from './fixed-rule';

const usage = (quantity: string) => ({ usageEventId: 'e1', usageType: 'llm.tokens', quantity });

describe('flat rule', () => {
  it('charges 1 credit (1,000,000 micro-credits) per 1,000 units', () => {
    expect(rateWithFlatRule(usage('1000')).amount).toBe(1_000_000n);
    expect(rateWithFlatRule(usage('1500')).amount).toBe(1_500_000n);
  });

  it('rounds fractional usage up to the micro-credit, never to zero', () => {
    expect(rateWithFlatRule(usage('0.0001')).amount).toBe(1n);
  });

  it('rejects a quantity that is not a non-negative decimal', () => {
    expect(() => rateWithFlatRule(usage('-5'))).toThrow(/non-negative decimal/);
  });
});
