import { readRateCard, InvalidRateCardError } from '../card/read-rate-card';
import { decideRating } from '../rating/decide-rating';
import { RatingRefused } from '../rating/rating-refusal';
import { initialRatingState } from '../rating/rating-state';
import {
  apply,
  hours,
  publishedCatalogue,
  rateAll,
  sampleCardJson,
  T0,
  usage,
} from '../test-support/sample-card';

const credits = (n: number): bigint => BigInt(Math.round(n * 1_000_000));
const catalogue = publishedCatalogue({ json: sampleCardJson(), version: 1, effectiveFrom: T0 });

describe('rating: a rate card turns usage into credits', () => {
  it('tokens by model: 1 credit per 1,000 input and 3 per 1,000 output tokens on small; large priced per million and per thousand', () => {
    const { rated } = rateAll(catalogue, [
      usage('llm.completion', {
        properties: { model: 'small', input_tokens: 2_500, output_tokens: '1000' },
      }),
      usage('llm.completion', {
        properties: { model: 'large', input_tokens: 200_000, output_tokens: 100 },
      }),
    ]);
    expect(rated[0]?.data.lines.map((line) => [line.ruleId, line.credits])).toEqual([
      ['small-input', credits(2.5)],
      ['small-output', credits(3)],
    ]);
    expect(rated[0]?.data.credits).toBe(credits(5.5));
    // 200,000 tokens at 5 per million = 1 credit; 100 tokens at 15 per thousand = 1.5 credits.
    expect(rated[1]?.data.credits).toBe(credits(2.5));
    // Revenue-equivalent at 1 cent per credit, provider cost from the price table (0.25 cents per 1,000 input tokens).
    expect(rated[1]?.data).toMatchObject({
      currency: 'USD',
      revenueMicros: 2_500_000n,
      costMicros: 50_000_000n,
    });
  });

  it('images and videos are priced per action: 10 and 50 credits', () => {
    const { rated } = rateAll(catalogue, [
      usage('image.generated'),
      usage('video.generated'),
      usage('image.generated'),
    ]);
    expect(rated.map((event) => event.data.credits)).toEqual([
      credits(10),
      credits(50),
      credits(10),
    ]);
  });

  it('GPU-seconds times the tier multiplier, and a tier with no multiplier is refused', () => {
    const { rated } = rateAll(catalogue, [
      usage('gpu.run', { quantity: '30', properties: { tier: 'h100' } }),
      usage('gpu.run', { quantity: '1.5', properties: { tier: 'a10' } }),
    ]);
    expect(rated.map((event) => event.data.credits)).toEqual([credits(150), credits(1.5)]);
    expect(() =>
      rateAll(catalogue, [usage('gpu.run', { quantity: '1', properties: { tier: 'tpu' } })]),
    ).toThrow(
      expect.objectContaining({
        code: 'no-rule',
        message: expect.stringContaining('no multiplier for tier=tpu'),
      }),
    );
  });

  it('a graduated tier boundary crossed in the middle of a batch: the event that crosses pays at both rates', () => {
    // First 1,000 thousand-token units at 0.1 credit, the rest at 0.05.
    const { rated, state } = rateAll(catalogue, [
      usage('embedding.tokens', { quantity: '600000' }),
      usage('embedding.tokens', { quantity: '600000' }),
      usage('embedding.tokens', { quantity: '200000' }),
    ]);
    expect(rated.map((event) => event.data.credits)).toEqual([
      credits(60),
      credits(40 + 10),
      credits(10),
    ]);
    expect(state.counters.get('embeddings|embeddings')).toMatchObject({
      periodKey: '2026-11',
      billed: credits(120),
    });
    // A new month starts the tiers again.
    const { rated: december } = rateAll(
      catalogue,
      [
        usage('embedding.tokens', {
          quantity: '600000',
          occurredAt: new Date('2026-12-01T00:00:00Z'),
        }),
      ],
      state,
    );
    expect(december[0]?.data.credits).toBe(credits(60));
  });

  it('a customer override replaces a rule of the plan card for that customer only', () => {
    const overrideRules = [
      { ruleId: 'image', meterId: 'images', price: { type: 'per-action', credits: '4' } },
    ];
    const overridden = apply(
      initialRatingState(),
      ...decideRating(
        { type: 'SetRateOverride', commandId: 'o1', at: T0, rules: overrideRules },
        initialRatingState(),
      ),
    );
    expect(rateAll(catalogue, [usage('image.generated')], overridden).rated[0]?.data.credits).toBe(
      credits(4),
    );
    expect(rateAll(catalogue, [usage('image.generated')]).rated[0]?.data.credits).toBe(credits(10));
  });

  it('a late event is rated with the version in force when it happened, after a new version is published', () => {
    const repriced = sampleCardJson({
      rules: (sampleCardJson()['rules'] as Record<string, unknown>[]).map((rule) =>
        rule['ruleId'] === 'image'
          ? { ...rule, price: { type: 'per-action', credits: '12' } }
          : rule,
      ),
    });
    const versions = publishedCatalogue(
      { json: sampleCardJson(), version: 1, effectiveFrom: T0 },
      { json: repriced, version: 2, effectiveFrom: hours(24) },
    );
    const { rated } = rateAll(versions, [
      usage('image.generated', { occurredAt: hours(25) }),
      usage('image.generated', { occurredAt: hours(23) }),
    ]);
    expect(rated.map((event) => [event.data.cardVersion, event.data.credits])).toEqual([
      [2, credits(12)],
      [1, credits(10)],
    ]);
  });

  it('a card that fails validation names the rule and what is wrong with it', () => {
    const broken = sampleCardJson({
      rules: [
        { ruleId: 'cheap-images', meterId: 'images', price: { type: 'per-action', credits: '1' } },
        { ruleId: 'dear-images', meterId: 'images', price: { type: 'per-action', credits: '2' } },
        {
          ruleId: 'furlongs',
          meterId: 'gpu',
          price: { type: 'per-unit', credits: '1', per: { quantity: '1', unit: 'furlongs' } },
        },
        {
          ruleId: 'refund-tokens',
          meterId: 'input-tokens',
          price: { type: 'per-unit', credits: '-1', per: { quantity: '1', unit: 'tokens' } },
        },
      ],
    });
    let problems: readonly { ruleId: string | null; path: string; message: string }[] = [];
    try {
      readRateCard(broken);
    } catch (error) {
      if (!(error instanceof InvalidRateCardError)) throw error;
      problems = error.problems;
    }
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ruleId: 'refund-tokens',
          path: '$.rules[3].price.credits',
          message: expect.stringContaining('negative'),
        }),
      ]),
    );
    // Fix the negative rate and the next problems show: the unknown unit and the ambiguous pair.
    const rules = (broken['rules'] as Record<string, unknown>[]).slice(0, 3);
    expect(() => readRateCard({ ...broken, rules })).toThrow(
      /rule furlongs: \$\.rules\[2\]\.price\.per\.unit: unknown unit furlongs/,
    );
    expect(() => readRateCard({ ...broken, rules })).toThrow(
      /rule cheap-images: .*overlaps rule dear-images/,
    );
  });

  it('an event no rule prices is refused with the reason, and rated once the card is fixed', () => {
    const card = sampleCardJson();
    const withoutLarge = {
      ...card,
      rules: (card['rules'] as Record<string, unknown>[]).filter(
        (rule) => !String(rule['ruleId']).startsWith('large'),
      ),
    };
    const stranded = usage('llm.completion', {
      properties: { model: 'large', input_tokens: 1000, output_tokens: 0 },
    });
    const before = publishedCatalogue({ json: withoutLarge, version: 1, effectiveFrom: T0 });
    expect(() => rateAll(before, [stranded])).toThrow(RatingRefused);
    expect(() => rateAll(before, [stranded])).toThrow(/no rule .* prices meter input-tokens/);
    const fixed = publishedCatalogue(
      { json: withoutLarge, version: 1, effectiveFrom: T0 },
      { json: card, version: 2, effectiveFrom: T0 },
    );
    expect(rateAll(fixed, [stranded]).rated[0]?.data.credits).toBe(credits(0.005));
  });

  it('rates an event once: the same usage id again decides nothing', () => {
    const event = usage('image.generated', { usageEventId: 'twice' });
    const { state } = rateAll(catalogue, [event]);
    expect(rateAll(catalogue, [event], state).rated).toEqual([]);
  });

  it('refuses a quantity property that is not a number, naming it', () => {
    expect(() =>
      rateAll(catalogue, [
        usage('llm.completion', {
          properties: { model: 'small', input_tokens: 'lots', output_tokens: 1 },
        }),
      ]),
    ).toThrow(
      expect.objectContaining({
        code: 'bad-property',
        message: expect.stringContaining('input_tokens'),
      }),
    );
  });
});
