import {
  publishedCatalogue,
  rateAll,
  sampleCardJson,
  T0,
  usage,
} from '../test-support/sample-card';

const card = (aggregation: string, extra: Record<string, unknown> = {}) =>
  publishedCatalogue({
    json: sampleCardJson({
      meters: [
        {
          meterId: 'seats',
          eventType: 'seats',
          quantity: { unit: 'units' },
          aggregation,
          ...extra,
        },
      ],
      rules: [
        {
          ruleId: 'seat',
          meterId: 'seats',
          price: { type: 'per-unit', credits: '1', per: { quantity: '1', unit: 'units' } },
          minimum: null,
        },
      ],
      providerPrices: [],
    }),
    version: 1,
    effectiveFrom: T0,
  });

const burned = (
  aggregation: string,
  quantities: readonly string[],
  extra: Record<string, unknown> = {},
  properties: readonly Record<string, string>[] = [],
) =>
  rateAll(
    card(aggregation, extra),
    quantities.map((quantity, index) =>
      usage('seats', { quantity, properties: properties[index] ?? {} }),
    ),
  ).rated.map((event) => Number(event.data.credits) / 1_000_000);

describe('meter aggregations over a billing period: each event burns what it adds to the period total', () => {
  it('max: only a new high burns', () => {
    expect(burned('max', ['3', '2', '5', '5'])).toEqual([3, 0, 2, 0]);
  });

  it('latest: a rise burns the difference, a fall burns nothing and is never credited back', () => {
    expect(burned('latest', ['3', '1', '4'])).toEqual([3, 0, 1]);
  });

  it('unique: each new value of the property burns once', () => {
    expect(
      burned('unique', ['1', '1', '1'], { uniqueProperty: 'user' }, [
        { user: 'ann' },
        { user: 'bob' },
        { user: 'ann' },
      ]),
    ).toEqual([1, 1, 0]);
  });

  it('count: every event counts one', () => {
    expect(burned('count', ['7', '9'])).toEqual([1, 1]);
  });
});

describe('per-event minimum, maximum and rounding', () => {
  const catalogue = publishedCatalogue({
    json: sampleCardJson({
      meters: [{ meterId: 'chars', eventType: 'tts', quantity: { unit: 'characters' } }],
      rules: [
        {
          ruleId: 'speech',
          meterId: 'chars',
          price: { type: 'per-unit', credits: '1', per: { quantity: '3000', unit: 'characters' } },
          minimum: '0.01',
          maximum: '2',
          rounding: { mode: 'half-even', unitMicroCredits: '1000' },
        },
      ],
      providerPrices: [],
    }),
    version: 1,
    effectiveFrom: T0,
  });
  const burn = (quantity: string) =>
    rateAll(catalogue, [usage('tts', { quantity })]).rated[0]?.data.credits;

  it('rounds to the rule unit by its mode, lifts to the minimum, caps at the maximum, and charges nothing for nothing', () => {
    expect(burn('1000')).toBe(333_000n);
    expect(burn('1')).toBe(10_000n);
    expect(burn('9000000')).toBe(2_000_000n);
    expect(burn('0')).toBe(0n);
  });
});
