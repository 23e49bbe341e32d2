import { ApiClient } from '@burndown/testing';
import {
  STARTUP_TIMEOUT_MS,
  e2eTopology,
  startBurndownUnderTest,
  type BurndownUnderTest,
} from '../../../tools/e2e/burndown-under-test';

// A key bound to one customer, as a customer's own service or page would hold it: that customer's
// routes and data only; another customer's ids do not exist for it; routes over every customer
// are refused.
describe(`Burndown (${e2eTopology()}): keys bound to a customer`, () => {
  let burndown: BurndownUnderTest;
  let admin: ApiClient;
  let mine: ApiClient;

  beforeAll(async () => {
    burndown = await startBurndownUnderTest({ BURNDOWN_LOG_LEVEL: 'error' });
    admin = new ApiClient(burndown.url, burndown.developmentKey);
    for (const id of ['mine', 'theirs']) {
      expect((await admin.post('/v1/customers', { id, name: id })).status).toBe(201);
      expect(
        (
          await admin.post(`/v1/wallets/${id}/grants`, {
            grantId: 'g',
            kind: 'purchased',
            amount: '100000000',
          })
        ).status,
      ).toBe(201);
      expect(
        (
          await admin.post('/v1/invoices', {
            invoiceId: `inv-${id}`,
            customerId: id,
            currency: 'EUR',
            lines: [{ description: 'Pack', unitPrice: '1900', credits: '2000000000' }],
          })
        ).status,
      ).toBe(201);
    }
    const created = await admin.post('/v1/api-keys', {
      name: 'mine only',
      scopes: ['read', 'ingest'],
      customerId: 'mine',
    });
    expect(created.status).toBe(201);
    expect(created.body.customerId).toBe('mine');
    mine = new ApiClient(burndown.url, created.body.key as string);
  }, STARTUP_TIMEOUT_MS);
  afterAll(async () => {
    await burndown?.close();
  });

  it('reads its own customer on every service', async () => {
    for (const path of [
      '/v1/customers/mine',
      '/v1/wallets/mine',
      '/v1/wallets/mine/ledger',
      '/v1/entitlements/mine',
      '/v1/revenue/customers/mine',
      '/v1/invoices/inv-mine',
    ])
      expect([path, (await mine.get(path)).status]).toEqual([path, 200]);
  });

  it("gets 404 for another customer's wallet, ledger, entitlements, revenue and invoices, as if they did not exist", async () => {
    for (const [path, field] of [
      ['/v1/customers/theirs', 'id'],
      ['/v1/wallets/theirs', 'id'],
      ['/v1/wallets/theirs/ledger', 'id'],
      ['/v1/entitlements/theirs', 'customerId'],
      ['/v1/revenue/customers/theirs', 'customerId'],
      ['/v1/invoices/inv-theirs', 'invoiceId'],
    ] as const) {
      const answer = await mine.get(path);
      expect([path, answer.status, answer.body.errors?.[0]?.field]).toEqual([path, 404, field]);
    }
    const hold = await mine.post('/v1/wallets/theirs/holds', {
      holdId: 'h',
      amount: '1000',
      feature: 'gpu',
    });
    expect(hold.status).toBe(404);
    expect((await admin.get('/v1/wallets/theirs')).body.held).toBe('0');
  });

  it("sends its own customer's usage and no other's", async () => {
    const usage = (id: string, customerId: string) => ({
      id,
      customerId,
      type: 'llm.tokens',
      quantity: '1000',
    });
    expect((await mine.post('/v1/events', usage('m-1', 'mine'))).status).toBe(202);
    const other = await mine.post('/v1/events', usage('t-1', 'theirs'));
    expect(other.status).toBe(422);
    expect(other.body.errors[0]).toEqual({
      field: 'customerId',
      detail: 'customer theirs does not exist',
    });
    const batch = await mine.post('/v1/events/batch', {
      events: [usage('m-2', 'mine'), usage('t-2', 'theirs')],
    });
    expect(batch.body.results.map((result: { status: string }) => result.status)).toEqual([
      'accepted',
      'rejected',
    ]);
    // The refused id was never stored: the admin key can still send it as a new event.
    expect((await admin.post('/v1/events', usage('t-1', 'theirs'))).body.status).toBe('accepted');
  });

  it('is refused on routes over every customer, and cannot be made an admin key', async () => {
    for (const path of ['/v1/margins', '/v1/revenue/periods', '/v1/api-keys', '/v1/dead-letters'])
      expect([path, (await mine.get(path)).status]).toEqual([path, 403]);
    const adminBound = await admin.post('/v1/api-keys', {
      name: 'x',
      scopes: ['admin'],
      customerId: 'mine',
    });
    expect(adminBound.status).toBe(422);
    expect(adminBound.body.errors[0].field).toBe('scopes');
  });
});
