import { sampleCardJson } from '../test-support/sample-card';
import { CompiledCard } from './compiled-card';
import { applyOverride } from './override';
import { InvalidRateCardError, readRateCard, readRules, writeRateCard } from './read-rate-card';

describe('rate cards', () => {
  it('export then import gives the same card', () => {
    const card = readRateCard(sampleCardJson());
    expect(readRateCard(JSON.parse(JSON.stringify(writeRateCard(card))))).toEqual(card);
  });

  it('picks the rule with the higher precedence, then the more specific one', () => {
    const card = readRateCard(
      sampleCardJson({
        rules: [
          { ruleId: 'any-image', meterId: 'images', price: { type: 'per-action', credits: '10' } },
          {
            ruleId: 'hd-image',
            meterId: 'images',
            match: { quality: 'hd' },
            price: { type: 'per-action', credits: '20' },
          },
          {
            ruleId: 'hd-eu-image',
            meterId: 'images',
            match: { quality: 'hd', region: ['eu', 'uk'] },
            price: { type: 'per-action', credits: '25' },
          },
          {
            ruleId: 'promo',
            meterId: 'images',
            match: { campaign: 'launch' },
            precedence: 10,
            price: { type: 'per-action', credits: '1' },
          },
        ],
      }),
    );
    const [images] = new CompiledCard(card, 1).metersFor('image.generated', {});
    const ruleFor = (properties: Record<string, string>) => images?.rules.find(properties)?.ruleId;
    expect(ruleFor({})).toBe('any-image');
    expect(ruleFor({ quality: 'hd' })).toBe('hd-image');
    expect(ruleFor({ quality: 'hd', region: 'uk' })).toBe('hd-eu-image');
    expect(ruleFor({ quality: 'hd', region: 'uk', campaign: 'launch' })).toBe('promo');
  });

  it('refuses an override that names a meter the card lacks, naming the rule', () => {
    const card = readRateCard(sampleCardJson());
    const rules = readRules([
      { ruleId: 'audio', meterId: 'audio-seconds', price: { type: 'per-action', credits: '1' } },
    ]);
    expect(() => applyOverride(card, rules)).toThrow(InvalidRateCardError);
    expect(() => applyOverride(card, rules)).toThrow(/rule audio: .*unknown meter audio-seconds/);
  });

  it('refuses tiers that do not ascend and a minimum above the maximum', () => {
    const broken = sampleCardJson({
      rules: [
        {
          ruleId: 'backwards',
          meterId: 'embeddings',
          minimum: '5',
          maximum: '1',
          price: {
            type: 'graduated',
            per: { quantity: '1000', unit: 'tokens' },
            tiers: [
              { upTo: '10', credits: '1' },
              { upTo: '5', credits: '1' },
              { upTo: null, credits: '1' },
            ],
          },
        },
      ],
    });
    expect(() => readRateCard(broken)).toThrow(
      /rule backwards: \$\.rules\[0\]\.price\.tiers\[1\]\.upTo: tier bounds must ascend/,
    );
    expect(() => readRateCard(broken)).toThrow(/minimum per event is above the maximum/);
  });
});
