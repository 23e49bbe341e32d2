import { CompiledCard } from '../card/compiled-card';
import { readRateCard } from '../card/read-rate-card';
import {
  publishedCatalogue,
  rateAll,
  sampleCardJson,
  T0,
  usage,
} from '../test-support/sample-card';
import { previewCustomer } from './preview';

describe('preview: a draft card against recorded usage, before anything is published', () => {
  it('reports the credit and revenue difference per customer, and what the draft cannot rate', () => {
    const published = publishedCatalogue({ json: sampleCardJson(), version: 1, effectiveFrom: T0 });
    const usages = [
      usage('image.generated'),
      usage('image.generated'),
      usage('video.generated'),
      usage('gpu.run', { quantity: '10', properties: { tier: 'a100' } }),
    ];
    const recorded = rateAll(published, usages).rated.map((event, index) => ({
      usage: usages[index] as (typeof usages)[number],
      credits: event.data.credits,
      revenueMicros: event.data.revenueMicros,
    }));
    const draftJson = sampleCardJson({
      meters: (sampleCardJson()['meters'] as Record<string, unknown>[]).filter(
        (meter) => meter['meterId'] !== 'gpu',
      ),
      rules: (sampleCardJson()['rules'] as Record<string, unknown>[])
        .filter((rule) => rule['ruleId'] !== 'gpu')
        .map((rule) =>
          rule['ruleId'] === 'image'
            ? { ...rule, price: { type: 'per-action', credits: '12' } }
            : rule,
        ),
      creditPrice: { currency: 'USD', microsPerCredit: '2000000' },
    });
    const preview = previewCustomer(
      'acme',
      recorded,
      new CompiledCard(readRateCard(draftJson), 0),
      null,
    );
    expect(preview).toMatchObject({
      events: 4,
      publishedCredits: 90_000_000n,
      draftCredits: 74_000_000n,
      creditDelta: -16_000_000n,
      publishedRevenueMicros: 90_000_000n,
      draftRevenueMicros: 148_000_000n,
      revenueDeltaMicros: 58_000_000n,
      refused: 1,
    });
    expect(preview.refusals[0]?.reason).toMatch(/^no-meter/);
  });
});
