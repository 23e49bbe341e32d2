import { ApiClient, eventually } from '@burndown/testing';
import {
  STARTUP_TIMEOUT_MS,
  e2eTopology,
  startBurndownUnderTest,
  type BurndownUnderTest,
} from '../../../tools/e2e/burndown-under-test';

const credits = (n: number): bigint => BigInt(Math.round(n * 1_000_000));

// Issue 4 end to end: publish a card over HTTP, send usage, see exactly its credits burn.
describe(`Burndown (${e2eTopology()}): rate cards over HTTP`, () => {
  let burndown: BurndownUnderTest;
  let api: ApiClient;
  const hourAgo = new Date(Date.now() - 3_600_000).toISOString();

  const card = (rules: Record<string, unknown>[] = [], meters: Record<string, unknown>[] = []) => ({
    cardId: 'studio-plan',
    name: 'Studio plan',
    creditPrice: { currency: 'USD', microsPerCredit: '1000000' },
    meters: [
      {
        meterId: 'input-tokens',
        eventType: 'llm.completion',
        quantity: { property: 'input_tokens', unit: 'tokens' },
      },
      {
        meterId: 'output-tokens',
        eventType: 'llm.completion',
        quantity: { property: 'output_tokens', unit: 'tokens' },
      },
      { meterId: 'images', eventType: 'image.generated', aggregation: 'count' },
      ...meters,
    ],
    rules: [
      {
        ruleId: 'input',
        meterId: 'input-tokens',
        match: { model: 'small' },
        price: { type: 'per-unit', credits: '1', per: { quantity: '1000', unit: 'tokens' } },
      },
      {
        ruleId: 'output',
        meterId: 'output-tokens',
        match: { model: 'small' },
        price: { type: 'per-unit', credits: '3', per: { quantity: '1000', unit: 'tokens' } },
      },
      { ruleId: 'image', meterId: 'images', price: { type: 'per-action', credits: '10' } },
      ...rules,
    ],
    providerPrices: [
      {
        meterId: 'input-tokens',
        match: { model: 'small' },
        micros: '100000',
        per: { quantity: '1000', unit: 'tokens' },
      },
    ],
  });

  beforeAll(async () => {
    burndown = await startBurndownUnderTest({ BURNDOWN_LOG_LEVEL: 'error' });
    api = new ApiClient(burndown.url, burndown.developmentKey);
    expect((await api.post('/v1/customers', { id: 'studio', name: 'Studio' })).status).toBe(201);
    expect(
      (
        await api.post('/v1/wallets/studio/grants', {
          grantId: 'pack',
          kind: 'purchased',
          amount: String(credits(100)),
        })
      ).status,
    ).toBe(201);
  }, STARTUP_TIMEOUT_MS);
  afterAll(async () => {
    await burndown?.close();
  });

  const balance = async () => BigInt((await api.get('/v1/wallets/studio')).body.balance as string);
  const burnedFor = async (usageEventId: string) =>
    eventually(async () => {
      const ledger = (await api.get('/v1/wallets/studio/ledger?limit=200')).body.data as Array<{
        usageEventId?: string;
        amount: string;
      }>;
      const line = ledger.find((entry) => entry.usageEventId === usageEventId);
      expect(line).toBeDefined();
      return -BigInt(line?.amount ?? '0');
    }, 10_000);

  it('refuses a broken card, naming the rule and the field', async () => {
    const broken = card([
      {
        ruleId: 'negative',
        meterId: 'images',
        match: { quality: 'hd' },
        price: { type: 'per-action', credits: '-2' },
      },
    ]);
    const refused = await api.post('/v1/rate-cards/validation', broken);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toContainEqual({
      field: 'rules[3].price.credits',
      detail: expect.stringMatching(/^rule negative: negative rate/),
    });
    expect((await api.put('/v1/rate-cards/studio-plan/draft', broken)).status).toBe(400);
  });

  it('publishes a card and burns exactly the credits it implies', async () => {
    expect((await api.put('/v1/rate-cards/studio-plan/draft', card())).status).toBe(200);
    const published = await api.post('/v1/rate-cards/studio-plan/publication', {
      effectiveFrom: hourAgo,
    });
    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({ cardId: 'studio-plan', version: 1 });
    expect(
      (await api.put('/v1/customers/studio/rate-card', { cardId: 'studio-plan' })).status,
    ).toBe(200);

    const before = await balance();
    await api.post('/v1/events', {
      id: 'img-1',
      customerId: 'studio',
      type: 'image.generated',
      quantity: 1,
    });
    await api.post('/v1/events', {
      id: 'chat-1',
      customerId: 'studio',
      type: 'llm.completion',
      quantity: 1,
      properties: { model: 'small', input_tokens: 2500, output_tokens: 1000 },
    });
    expect(await burnedFor('img-1')).toBe(credits(10));
    expect(await burnedFor('chat-1')).toBe(credits(2.5 + 3));
    expect(await balance()).toBe(before - credits(15.5));
    expect((await api.get('/v1/rate-cards/studio-plan/versions/1')).body).toEqual(card());
  });

  it('exports a version as YAML and takes a YAML draft back', async () => {
    const exported = await api.get('/v1/rate-cards/studio-plan/versions/1?format=yaml');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toMatch(/^application\/yaml/);
    expect(exported.text).toMatch(/^cardId: studio-plan$/m);
    const saved = await api.send('PUT', '/v1/rate-cards/studio-plan/draft', {
      rawBody: exported.text,
      headers: { 'content-type': 'application/yaml' },
    });
    expect(saved.status).toBe(200);
    expect((await api.get('/v1/rate-cards/studio-plan')).body.draft).toEqual(card());
    const garbled = await api.send('PUT', '/v1/rate-cards/studio-plan/draft', {
      rawBody: 'cardId: [unclosed',
      headers: { 'content-type': 'application/yaml' },
    });
    expect(garbled.status).toBe(400);
    expect(garbled.body.errors[0].field).toBe('body');
  });

  it('dead-letters usage the card cannot rate, and re-drives it once a fixed version is published', async () => {
    await api.post('/v1/events', {
      id: 'audio-1',
      customerId: 'studio',
      type: 'audio.transcribed',
      quantity: '90',
    });
    const letter = await eventually(async () => {
      const found = (
        (await api.get('/v1/dead-letters?limit=200')).body.data as Array<{
          msgId: string;
          sequence: string;
          reason: string;
        }>
      ).find((entry) => entry.msgId === 'audio-1');
      expect(found).toBeDefined();
      return found as { sequence: string; reason: string };
    }, 10_000);
    expect(letter.reason).toMatch(/no-meter.*audio\.transcribed/);

    const fixed = card(
      [
        {
          ruleId: 'audio',
          meterId: 'audio-seconds',
          price: { type: 'per-unit', credits: '1', per: { quantity: '1', unit: 'minutes' } },
        },
      ],
      [{ meterId: 'audio-seconds', eventType: 'audio.transcribed', quantity: { unit: 'seconds' } }],
    );
    expect((await api.put('/v1/rate-cards/studio-plan/draft', fixed)).status).toBe(200);
    expect(
      (await api.post('/v1/rate-cards/studio-plan/publication', { effectiveFrom: hourAgo })).body
        .version,
    ).toBe(2);
    const redriven = await api.post(`/v1/dead-letters/${letter.sequence}/redrive`, {});
    expect(redriven.status).toBe(202);
    expect(await burnedFor('audio-1')).toBe(credits(1.5));
    expect((await api.post(`/v1/dead-letters/${letter.sequence}/redrive`, {})).body.status).toBe(
      'duplicate',
    );
  });

  it('previews a draft against the usage already rated, per customer, writing nothing', async () => {
    const audio = {
      rules: [
        {
          ruleId: 'audio',
          meterId: 'audio-seconds',
          price: { type: 'per-unit', credits: '1', per: { quantity: '1', unit: 'minutes' } },
        },
      ],
      meters: [
        { meterId: 'audio-seconds', eventType: 'audio.transcribed', quantity: { unit: 'seconds' } },
      ],
    };
    const dearer = card(audio.rules, audio.meters);
    dearer.rules = dearer.rules.map((rule) =>
      rule.ruleId === 'image'
        ? { ...rule, price: { type: 'per-action', credits: '12' } }
        : rule.ruleId === 'output'
          ? { ...rule, price: { ...(rule.price as object), credits: '6' } }
          : rule,
    );
    expect((await api.put('/v1/rate-cards/studio-plan/draft', dearer)).status).toBe(200);
    const before = await balance();
    const preview = await api.post('/v1/rate-cards/studio-plan/preview', {});
    expect(preview.status).toBe(200);
    // img-1 10 → 12, chat-1 5.5 → 8.5, audio-1 1.5 → 1.5.
    expect(preview.body.customers).toEqual([
      expect.objectContaining({
        customerId: 'studio',
        events: 3,
        publishedCredits: String(credits(17)),
        draftCredits: String(credits(22)),
        creditDelta: String(credits(5)),
        revenueDeltaMicros: '5000000',
        refused: 0,
      }),
    ]);
    expect(await balance()).toBe(before);
  });

  it('reports margin per model from credits, revenue-equivalent and provider cost', async () => {
    const margins = await api.get('/v1/margins?customerId=studio&groupBy=model');
    expect(margins.status).toBe(200);
    // chat-1: 5.5 credits at 1 cent = 5,500,000 micros of a cent; 2,500 input tokens at 100,000 per 1,000 cost 250,000.
    expect(margins.body.data).toContainEqual({
      model: 'small',
      currency: 'USD',
      events: 1,
      credits: String(credits(5.5)),
      revenueMicros: '5500000',
      costMicros: '250000',
      marginMicros: '5250000',
      eventsWithoutCost: 0,
    });
    expect(margins.body.data).toContainEqual(
      expect.objectContaining({ model: '(none)', events: 2, eventsWithoutCost: 2 }),
    );
  });

  it('applies a customer override on top of the card', async () => {
    const override = [
      { ruleId: 'image', meterId: 'images', price: { type: 'per-action', credits: '4' } },
    ];
    expect(
      (
        await api.put('/v1/customers/studio/rate-card', {
          cardId: 'studio-plan',
          overrides: override,
        })
      ).status,
    ).toBe(200);
    await api.post('/v1/events', {
      id: 'img-2',
      customerId: 'studio',
      type: 'image.generated',
      quantity: 1,
    });
    expect(await burnedFor('img-2')).toBe(credits(4));
    const unfit = await api.put('/v1/customers/studio/rate-card', {
      cardId: 'studio-plan',
      overrides: [{ ruleId: 'x', meterId: 'nope', price: { type: 'per-action', credits: '1' } }],
    });
    expect(unfit.status).toBe(400);
    expect(unfit.body.errors[0].detail).toMatch(/rule x: unknown meter nope/);
  });
});
