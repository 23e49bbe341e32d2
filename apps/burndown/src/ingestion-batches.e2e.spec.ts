import { ApiClient, eventually } from '@burndown/testing';
import { STARTUP_TIMEOUT_MS, e2eTopology, startBurndownUnderTest, type BurndownUnderTest } from '../../../tools/e2e/burndown-under-test';

// Batches and CloudEvents: each event answered on its own, 202 only once every valid one is stored.
describe(`Burndown (${e2eTopology()}): usage in batches and as CloudEvents`, () => {
  let burndown: BurndownUnderTest;
  let api: ApiClient;

  beforeAll(async () => {
    burndown = await startBurndownUnderTest({ BURNDOWN_LOG_LEVEL: 'error' });
    api = new ApiClient(burndown.url, burndown.developmentKey);
    expect((await api.post('/v1/customers', { id: 'bulk', name: 'Bulk' })).status).toBe(201);
    expect((await api.post('/v1/wallets/bulk/grants', { grantId: 'g', kind: 'purchased', amount: '100000000' })).status).toBe(201);
  }, STARTUP_TIMEOUT_MS);
  afterAll(async () => {
    await burndown?.close();
  });

  const balance = async () => BigInt((await api.get('/v1/wallets/bulk')).body.balance as string);
  const usage = (id: string, quantity: unknown = '1000', customerId = 'bulk') => ({ id, customerId, type: 'llm.tokens', quantity });

  it('answers every event of a batch: accepted, duplicate, or rejected naming the field', async () => {
    expect((await api.post('/v1/events', usage('b-0'))).status).toBe(202);
    const response = await api.post('/v1/events/batch', {
      events: [usage('b-1'), usage('b-0'), usage('b-2', '-5'), usage('b-3', '1000', 'nobody'), 'not an event', usage('b-4', '2000')],
    });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ accepted: 2, duplicates: 1, rejected: 3, unavailable: 0 });
    expect(response.body.results.map((result: { status: string }) => result.status)).toEqual(['accepted', 'duplicate', 'rejected', 'rejected', 'rejected', 'accepted']);
    expect(response.body.results[2].errors[0].field).toBe('events[2].quantity');
    expect(response.body.results[3].errors[0]).toEqual({ field: 'events[3].customerId', detail: 'customer nobody does not exist' });
    // 1,000 (b-0) + 1,000 (b-1) + 2,000 (b-4) units at the built-in 1 credit per 1,000.
    await eventually(async () => expect(await balance()).toBe(100_000_000n - 4_000_000n), 10_000);
  });

  it('takes 1,000 events in one request and refuses 1,001', async () => {
    const thousand = Array.from({ length: 1_000 }, (_, index) => usage(`k-${index}`, '1'));
    const accepted = await api.post('/v1/events/batch', { events: thousand });
    expect(accepted.status).toBe(202);
    expect(accepted.body.accepted).toBe(1_000);
    const tooMany = await api.post('/v1/events/batch', { events: [...thousand, usage('k-extra')] });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors[0].field).toBe('events');
  });

  it('takes CloudEvents, structured and batched, naming CloudEvents fields in rejections', async () => {
    const cloudEvent = (id: string, data: Record<string, unknown>) => ({ specversion: '1.0', id, source: 'urn:test', type: 'llm.tokens', time: new Date().toISOString(), data });
    const single = await api.send('POST', '/v1/cloudevents', {
      rawBody: JSON.stringify(cloudEvent('ce-1', { customerId: 'bulk', quantity: '3000' })),
      headers: { 'content-type': 'application/cloudevents+json' },
    });
    expect(single.status).toBe(202);
    expect(single.body.results).toEqual([{ index: 0, id: 'ce-1', status: 'accepted' }]);
    const batch = await api.send('POST', '/v1/cloudevents', {
      rawBody: JSON.stringify([
        cloudEvent('ce-2', { customerId: 'bulk', quantity: '1000', properties: { model: 'small' } }),
        cloudEvent('ce-3', { customerId: 'bulk', quantity: 'lots' }),
        { ...cloudEvent('ce-4', { customerId: 'bulk', quantity: '1' }), specversion: '0.3' },
      ]),
      headers: { 'content-type': 'application/cloudevents-batch+json' },
    });
    expect(batch.status).toBe(202);
    expect(batch.body.results.map((result: { status: string }) => result.status)).toEqual(['accepted', 'rejected', 'rejected']);
    expect(batch.body.results[1].errors[0].field).toBe('[1].data.quantity');
    expect(batch.body.results[2].errors[0].field).toBe('[2].specversion');
  });
});
