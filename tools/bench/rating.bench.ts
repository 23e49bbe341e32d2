import {
  RateCardCatalogue,
  decideRating,
  evolveRating,
  initialRatingState,
  readRateCard,
  type RatingState,
  type Usage,
} from '@burndown/rating-domain';
import { formatRate, machineLine, median, timeRuns, verdict } from './bench-support';

// Issue 4's performance goal: rated events per second, in process, with a 500-rule card.
const RUNS = 5;
const EVENTS = 200_000;
const at = new Date('2026-11-01T00:00:00Z');
const models = Array.from({ length: 50 }, (_, index) => `model-${index}`);
const regions = Array.from({ length: 10 }, (_, index) => `region-${index}`);

function fiveHundredRuleCard(): RateCardCatalogue {
  const rules = models.flatMap((model, m) =>
    regions.map((region, r) => ({
      ruleId: `${model}-${region}`,
      meterId: 'tokens',
      match: { model, region },
      price: {
        type: 'per-unit',
        credits: `${1 + ((m * 10 + r) % 7)}`,
        per: { quantity: '1000', unit: 'tokens' },
      },
    })),
  );
  const card = readRateCard({
    cardId: 'default',
    name: '500 rules',
    creditPrice: { currency: 'USD', microsPerCredit: '1000000' },
    meters: [
      {
        meterId: 'tokens',
        eventType: 'llm.tokens',
        quantity: { unit: 'tokens' },
        aggregation: 'sum',
      },
    ],
    rules,
  });
  if (card.rules.length !== 500) throw new Error(`expected 500 rules, got ${card.rules.length}`);
  const catalogue = new RateCardCatalogue();
  catalogue.publish('default', { version: 1, effectiveFrom: at, card });
  return catalogue;
}

function benchRating(): void {
  const catalogue = fiveHundredRuleCard();
  const usages: Usage[] = Array.from({ length: EVENTS }, (_, index) => ({
    usageEventId: `e${index}`,
    customerId: 'acme',
    type: 'llm.tokens',
    quantity: `${100 + (index % 900)}`,
    occurredAt: new Date(at.getTime() + index),
    properties: {
      model: models[index % models.length] as string,
      region: regions[(index * 7) % regions.length] as string,
    },
    providerCostMicros: null,
  }));
  let burned = 0n;
  const times = timeRuns(RUNS, () => {
    let state: RatingState = initialRatingState();
    burned = 0n;
    for (const usage of usages) {
      const events = decideRating(
        {
          type: 'RateUsage',
          commandId: `usage:${usage.usageEventId}`,
          at: usage.occurredAt,
          usage,
          cards: catalogue.resolve,
        },
        state,
      );
      for (const event of events) {
        state = evolveRating(state, event);
        if (event.type === 'UsageRated') burned += event.data.credits;
      }
    }
  });
  const rate = EVENTS / (median(times) / 1000);
  console.log(
    `rate: ${EVENTS.toLocaleString('en-US')} token events (decide + evolve, dedupe included) on a 500-rule card, median ${median(times).toFixed(0)} ms → ${formatRate(rate)} (goal ≥ 200,000/s: ${verdict(rate, 200_000)}); ${burned} micro-credits per run`,
  );
}

console.log(`rating benchmark — ${machineLine()}, medians of ${RUNS} runs after a warm-up`);
benchRating();
