/**
 * The card every customer is rated with until an operator publishes one of their own: any usage
 * type, 1 credit per 1,000 units, rounded up to the micro-credit (the walking skeleton's price).
 */
export const BUILT_IN_DEFAULT_CARD: Readonly<Record<string, unknown>> = {
  cardId: 'default',
  name: 'Built-in default: 1 credit per 1,000 units of any usage',
  creditPrice: { currency: 'USD', microsPerCredit: '0' },
  period: 'month',
  meters: [
    { meterId: 'any-usage', eventType: '*', quantity: { unit: 'units' }, aggregation: 'sum' },
  ],
  rules: [
    {
      ruleId: 'per-thousand-units',
      meterId: 'any-usage',
      price: { type: 'per-unit', credits: '1', per: { quantity: '1000', unit: 'units' } },
    },
  ],
};
