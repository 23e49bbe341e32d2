import { decideRating } from './decide-rating';
import { evolveRating } from './evolve-rating';
import { decodeRatingState, encodeRatingState } from './rating-state-codec';
import { initialRatingState } from './rating-state';
import {
  publishedCatalogue,
  rateAll,
  sampleCardJson,
  T0,
  usage,
} from '../test-support/sample-card';

describe('rating snapshots', () => {
  it('a restored state rates the rest of the period exactly as the original would', () => {
    const catalogue = publishedCatalogue({ json: sampleCardJson(), version: 1, effectiveFrom: T0 });
    const overrideRules = [
      { ruleId: 'image', meterId: 'images', price: { type: 'per-action', credits: '4' } },
    ];
    const overridden = decideRating(
      { type: 'SetRateOverride', commandId: 'o1', at: T0, rules: overrideRules },
      initialRatingState(),
    ).reduce(evolveRating, initialRatingState());
    const { state } = rateAll(
      catalogue,
      [
        usage('embedding.tokens', { quantity: '900000', usageEventId: 'first' }),
        usage('image.generated'),
      ],
      overridden,
    );
    const restored = decodeRatingState(
      JSON.parse(JSON.stringify(encodeRatingState(state))) as Record<string, unknown>,
    );
    expect(encodeRatingState(restored)).toEqual(encodeRatingState(state));
    const rest = [
      usage('embedding.tokens', { quantity: '300000' }),
      usage('image.generated'),
      usage('embedding.tokens', { quantity: '900000', usageEventId: 'first' }),
    ];
    const original = rateAll(catalogue, rest, state).rated.map((event) => event.data.credits);
    expect(rateAll(catalogue, rest, restored).rated.map((event) => event.data.credits)).toEqual(
      original,
    );
    // The crossing of the tier boundary and the override both survive; the repeat is still a repeat.
    expect(original).toEqual([20_000_000n, 4_000_000n]);
  });
});
