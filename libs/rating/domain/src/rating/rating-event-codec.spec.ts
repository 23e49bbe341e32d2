import {
  decideRateCard,
  evolveRateCard,
  initialRateCardHistory,
  RateCardRefused,
  rateCardEventCodec,
} from '../card/rate-card-lifecycle';
import { InvalidRateCardError } from '../card/read-rate-card';
import {
  publishedCatalogue,
  rateAll,
  sampleCardJson,
  T0,
  usage,
} from '../test-support/sample-card';
import { ratingEventCodec } from './rating-event-codec';

describe('stored forms of rating and rate card events', () => {
  it('round-trips rated usage, counters included, through JSON', () => {
    const catalogue = publishedCatalogue({ json: sampleCardJson(), version: 1, effectiveFrom: T0 });
    const { rated } = rateAll(catalogue, [
      usage('embedding.tokens', { quantity: '1500000' }),
      usage('llm.completion', {
        properties: { model: 'large', input_tokens: 4000, output_tokens: 10 },
        providerCostMicros: 77n,
      }),
    ]);
    for (const event of rated) {
      const stored = JSON.parse(JSON.stringify(ratingEventCodec.encode(event))) as {
        type: string;
        data: Record<string, unknown>;
      };
      expect(ratingEventCodec.decode(stored.type, stored.data)).toEqual(event);
    }
  });

  it('drafts, publishes versions in order, and refuses what it cannot do, naming it', () => {
    const draft = (definition: Record<string, unknown>) => ({
      type: 'SaveRateCardDraft' as const,
      commandId: `d-${Math.random()}`,
      at: T0,
      cardId: 'default',
      definition,
    });
    const publish = {
      type: 'PublishRateCard' as const,
      commandId: 'p1',
      at: T0,
      effectiveFrom: null,
    };
    expect(() => decideRateCard(publish, initialRateCardHistory())).toThrow(RateCardRefused);
    expect(() =>
      decideRateCard(draft(sampleCardJson({ cardId: 'other' })), initialRateCardHistory()),
    ).toThrow(/cardId must be default/);
    expect(() =>
      decideRateCard(draft(sampleCardJson({ meters: 'none' })), initialRateCardHistory()),
    ).toThrow(InvalidRateCardError);
    let history = decideRateCard(draft(sampleCardJson()), initialRateCardHistory()).reduce(
      evolveRateCard,
      initialRateCardHistory(),
    );
    history = decideRateCard(publish, history).reduce(evolveRateCard, history);
    expect(decideRateCard(publish, history)).toEqual([]);
    history = decideRateCard(draft(sampleCardJson()), history).reduce(evolveRateCard, history);
    const [second] = decideRateCard(
      { ...publish, commandId: 'p2', effectiveFrom: new Date('2027-01-01T00:00:00Z') },
      history,
    );
    expect(second).toMatchObject({
      type: 'RateCardPublished',
      data: { version: 2, effectiveFrom: new Date('2027-01-01T00:00:00Z') },
    });
    const stored = JSON.parse(JSON.stringify(rateCardEventCodec.encode(second!))) as {
      type: string;
      data: Record<string, unknown>;
    };
    expect(rateCardEventCodec.decode(stored.type, stored.data)).toEqual(second);
  });
});
