import { RateCardCatalogue } from '../card/catalogue';
import { readRateCard } from '../card/read-rate-card';
import { decideRating } from '../rating/decide-rating';
import { evolveRating } from '../rating/evolve-rating';
import type { RatingCommand } from '../rating/rating-commands';
import type { RatingEvent, UsageRated } from '../rating/rating-events';
import { initialRatingState, type RatingState } from '../rating/rating-state';
import type { Usage } from '../rating/usage';

export const T0 = new Date('2026-11-01T00:00:00Z');
export const hours = (n: number): Date => new Date(T0.getTime() + n * 3_600_000);

/** The sample card of the README: tokens by model, images and videos, GPU-seconds by tier. */
export function sampleCardJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cardId: 'default',
    name: 'Sample AI product',
    creditPrice: { currency: 'USD', microsPerCredit: '1000000' },
    period: 'month',
    meters: [
      {
        meterId: 'input-tokens',
        eventType: 'llm.completion',
        quantity: { property: 'input_tokens', unit: 'tokens' },
        aggregation: 'sum',
      },
      {
        meterId: 'output-tokens',
        eventType: 'llm.completion',
        quantity: { property: 'output_tokens', unit: 'tokens' },
        aggregation: 'sum',
      },
      { meterId: 'images', eventType: 'image.generated', aggregation: 'count' },
      { meterId: 'video', eventType: 'video.generated', aggregation: 'count' },
      { meterId: 'gpu', eventType: 'gpu.run', quantity: { unit: 'seconds' }, aggregation: 'sum' },
      {
        meterId: 'embeddings',
        eventType: 'embedding.tokens',
        quantity: { unit: 'tokens' },
        aggregation: 'sum',
      },
    ],
    rules: [
      {
        ruleId: 'small-input',
        meterId: 'input-tokens',
        match: { model: 'small' },
        price: { type: 'per-unit', credits: '1', per: { quantity: '1000', unit: 'tokens' } },
      },
      {
        ruleId: 'small-output',
        meterId: 'output-tokens',
        match: { model: 'small' },
        price: { type: 'per-unit', credits: '3', per: { quantity: '1000', unit: 'tokens' } },
      },
      {
        ruleId: 'large-input',
        meterId: 'input-tokens',
        match: { model: 'large' },
        price: { type: 'per-unit', credits: '5', per: { quantity: '1', unit: 'million-tokens' } },
      },
      {
        ruleId: 'large-output',
        meterId: 'output-tokens',
        match: { model: 'large' },
        price: { type: 'per-unit', credits: '15', per: { quantity: '1000', unit: 'tokens' } },
      },
      { ruleId: 'image', meterId: 'images', price: { type: 'per-action', credits: '10' } },
      { ruleId: 'video', meterId: 'video', price: { type: 'per-action', credits: '50' } },
      {
        ruleId: 'gpu',
        meterId: 'gpu',
        price: {
          type: 'per-unit',
          credits: '2',
          per: { quantity: '1', unit: 'seconds' },
          multiplier: { property: 'tier', values: { a10: '0.5', a100: '1', h100: '2.5' } },
        },
      },
      {
        ruleId: 'embeddings',
        meterId: 'embeddings',
        price: {
          type: 'graduated',
          per: { quantity: '1000', unit: 'tokens' },
          tiers: [
            { upTo: '1000', credits: '0.1' },
            { upTo: null, credits: '0.05' },
          ],
        },
      },
    ],
    providerPrices: [
      {
        meterId: 'input-tokens',
        match: { model: 'large' },
        micros: '250000',
        per: { quantity: '1000', unit: 'tokens' },
      },
    ],
    ...overrides,
  };
}

export const publishedCatalogue = (
  ...versions: { json: Record<string, unknown>; version: number; effectiveFrom: Date }[]
): RateCardCatalogue => {
  const catalogue = new RateCardCatalogue();
  for (const { json, version, effectiveFrom } of versions)
    catalogue.publish(String(json['cardId']), { version, effectiveFrom, card: readRateCard(json) });
  return catalogue;
};

let counter = 0;
export const usage = (type: string, fields: Partial<Usage> = {}): Usage => ({
  usageEventId: fields.usageEventId ?? `evt-${++counter}`,
  customerId: 'acme',
  type,
  quantity: '1',
  occurredAt: T0,
  properties: {},
  providerCostMicros: null,
  ...fields,
});

/** Rates each usage in turn on the customer's state; returns the UsageRated events and the final state. */
export function rateAll(
  catalogue: RateCardCatalogue,
  usages: readonly Usage[],
  from: RatingState = initialRatingState(),
) {
  let state = from;
  const rated: UsageRated[] = [];
  for (const next of usages) {
    const command: RatingCommand = {
      type: 'RateUsage',
      commandId: `usage:${next.usageEventId}`,
      at: next.occurredAt,
      usage: next,
      cards: catalogue.resolve,
    };
    const events = decideRating(command, state);
    for (const event of events) if (event.type === 'UsageRated') rated.push(event);
    state = events.reduce<RatingState>(evolveRating, state);
  }
  return { rated, state };
}

export const apply = (state: RatingState, ...events: readonly RatingEvent[]): RatingState =>
  events.reduce(evolveRating, state);
