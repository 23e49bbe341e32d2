import { ApiClient, eventually } from '@burndown/testing';
import {
  STARTUP_TIMEOUT_MS,
  e2eTopology,
  startBurndownUnderTest,
  type BurndownUnderTest,
} from '../../../tools/e2e/burndown-under-test';

// Batches and CloudEvents: each event answered on its own, 202 only once every valid one is stored.
describe(`Burndown (${e2eTopology()}): usage in batches and as CloudEvents`, () => {
  let burndown: BurndownUnderTest;
  let api: ApiClient;

  beforeAll(async () => {
    burndown = await startBurndownUnderTest({ BURNDOWN_LOG_LEVEL: 'error' });
    api = new ApiClient(burndown.url, burndown.developmentKey);
    expect((await api.post('/v1/customers', { id: 'bulk', name: 'Bulk' })).status).toBe(201);
    expect(
      (
        await api.post('/v1/wallets/bulk/grants', {
          grantId: 'g',
          kind: 'purchased',
          amount: '100000000',
        })
      ).status,
    ).toBe(201);
  }, STARTUP_TIMEOUT_MS);
  afterAll(async () => {
    await burndown?.close();
  });

  const balance = async () => BigInt((await api.get('/v1/wallets/bulk')).body.balance as string);
  const usage = (id: string, quantity: unknown = '1000', customerId = 'bulk') => ({
    id,
    customerId,
    type: 'llm.tokens',
    quantity,
  });
  /** A customer of its own, so debits of other tests still on their way do not move its balance. */
  const freshWallet = async (id: string) => {
    expect((await api.post('/v1/customers', { id, name: id })).status).toBe(201);
    expect(
      (
        await api.post(`/v1/wallets/${id}/grants`, {
          grantId: 'g',
          kind: 'purchased',
          amount: '100000000',
        })
      ).status,
    ).toBe(201);
    return 100_000_000n;
  };

  it('answers every event of a batch: accepted, duplicate, or rejected naming the field', async () => {
    expect((await api.post('/v1/events', usage('b-0'))).status).toBe(202);
    const response = await api.post('/v1/events/batch', {
      events: [
        usage('b-1'),
        usage('b-0'),
        usage('b-2', '-5'),
        usage('b-3', '1000', 'nobody'),
        'not an event',
        usage('b-4', '2000'),
      ],
    });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({
      accepted: 2,
      duplicates: 1,
      rejected: 3,
      unavailable: 0,
    });
    expect(response.body.results.map((result: { status: string }) => result.status)).toEqual([
      'accepted',
      'duplicate',
      'rejected',
      'rejected',
      'rejected',
      'accepted',
    ]);
    expect(response.body.results[2].errors[0].field).toBe('events[2].quantity');
    expect(response.body.results[3].errors[0]).toEqual({
      field: 'events[3].customerId',
      detail: 'customer nobody does not exist',
    });
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
    const cloudEvent = (id: string, data: Record<string, unknown>) => ({
      specversion: '1.0',
      id,
      source: 'urn:test',
      type: 'llm.tokens',
      time: new Date().toISOString(),
      data,
    });
    const single = await api.send('POST', '/v1/cloudevents', {
      rawBody: JSON.stringify(cloudEvent('ce-1', { customerId: 'bulk', quantity: '3000' })),
      headers: { 'content-type': 'application/cloudevents+json' },
    });
    expect(single.status).toBe(202);
    expect(single.body.results).toEqual([{ index: 0, id: 'ce-1', status: 'accepted' }]);
    const batch = await api.send('POST', '/v1/cloudevents', {
      rawBody: JSON.stringify([
        cloudEvent('ce-2', {
          customerId: 'bulk',
          quantity: '1000',
          properties: { model: 'small' },
        }),
        cloudEvent('ce-3', { customerId: 'bulk', quantity: 'lots' }),
        { ...cloudEvent('ce-4', { customerId: 'bulk', quantity: '1' }), specversion: '0.3' },
      ]),
      headers: { 'content-type': 'application/cloudevents-batch+json' },
    });
    expect(batch.status).toBe(202);
    expect(batch.body.results.map((result: { status: string }) => result.status)).toEqual([
      'accepted',
      'rejected',
      'rejected',
    ]);
    expect(batch.body.results[1].errors[0].field).toBe('[1].data.quantity');
    expect(batch.body.results[2].errors[0].field).toBe('[2].specversion');
  });

  it('refuses usage dated outside the window, naming timestamp, without using up its id', async () => {
    const at = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
    const before = await freshWallet('window');
    const usage = (id: string) => ({
      id,
      customerId: 'window',
      type: 'llm.tokens',
      quantity: '1000',
    });
    const balance = async () =>
      BigInt((await api.get('/v1/wallets/window')).body.balance as string);
    for (const timestamp of [at(3_650), at(-730)]) {
      const single = await api.post('/v1/events', { ...usage('w-1'), timestamp });
      expect(single.status).toBe(422);
      expect(single.body.errors[0].field).toBe('timestamp');
    }
    const batch = await api.post('/v1/events/batch', {
      events: [usage('w-2'), { ...usage('w-3'), timestamp: at(1) }],
    });
    expect(batch.status).toBe(202);
    expect(batch.body.results.map((result: { status: string }) => result.status)).toEqual([
      'accepted',
      'rejected',
    ]);
    expect(batch.body.results[1].errors[0].field).toBe('events[1].timestamp');
    // The refused ids were never stored: sent again in time, they are new events, not duplicates.
    const again = await api.post('/v1/events/batch', {
      events: [{ ...usage('w-1'), timestamp: at(0) }, usage('w-3')],
    });
    expect(again.body.results.map((result: { status: string }) => result.status)).toEqual([
      'accepted',
      'accepted',
    ]);
    await eventually(async () => expect(await balance()).toBe(before - 3_000_000n), 10_000);
  });

  it('refuses a batch that sends one id twice with different contents, storing none of it', async () => {
    const before = await freshWallet('conflict');
    const usage = (id: string, quantity: unknown = '1000') => ({
      id,
      customerId: 'conflict',
      type: 'llm.tokens',
      quantity,
    });
    const balance = async () =>
      BigInt((await api.get('/v1/wallets/conflict')).body.balance as string);
    const conflicting = await api.post('/v1/events/batch', {
      events: [usage('c-1', '1000'), usage('c-2'), usage('c-1', '2000')],
    });
    expect(conflicting.status).toBe(422);
    expect(conflicting.body.errors.map((error: { field: string }) => error.field)).toEqual([
      'events[0].id',
      'events[2].id',
    ]);
    const repeated = await api.post('/v1/events/batch', {
      events: [usage('c-2'), usage('c-1', '1000'), usage('c-1', 1000)],
    });
    expect(repeated.status).toBe(202);
    // c-2 was not stored by the refused batch; an identical repeat of c-1 is answered as a duplicate.
    expect(repeated.body.results.map((result: { status: string }) => result.status)).toEqual([
      'accepted',
      'accepted',
      'duplicate',
    ]);
    await eventually(async () => expect(await balance()).toBe(before - 2_000_000n), 10_000);
  });
});
