import { ApiClient, eventually } from '@burndown/testing';
import { requests } from '@burndown/ports';
import {
  STARTUP_TIMEOUT_MS,
  e2eTopology,
  startBurndownUnderTest,
  type BurndownUnderTest,
} from '../../../tools/e2e/burndown-under-test';

// Every wallet command over HTTP (and one over the bus).
describe(`Burndown (${e2eTopology()}): wallet commands over HTTP and the bus`, () => {
  let burndown: BurndownUnderTest;
  let api: ApiClient;
  const wallet = '/v1/wallets/studio';
  const key = (value: string) => ({ headers: { 'idempotency-key': value } });

  beforeAll(async () => {
    burndown = await startBurndownUnderTest({
      BURNDOWN_LOG_LEVEL: 'warn',
      BURNDOWN_SCHEDULER_INTERVAL_MS: '100',
    });
    api = new ApiClient(burndown.url, burndown.developmentKey);
    expect((await api.post('/v1/customers', { id: 'studio', name: 'Studio' })).status).toBe(201);
  }, STARTUP_TIMEOUT_MS);
  afterAll(async () => {
    await burndown?.close();
  });

  const view = async () =>
    (await api.get(wallet)).body as Record<string, unknown> & {
      balance: string;
      available: string;
    };

  it('grants credit with its full terms and shows them on the wallet', async () => {
    const granted = await api.post(`${wallet}/grants`, {
      grantId: 'images-pack',
      kind: 'purchased',
      amount: '5000000',
      priority: 10,
      scope: ['images'],
      costBasis: { currency: 'USD', microsPerCredit: '2000000' },
      expiresAt: '2099-01-01T00:00:00Z',
      source: 'order-1',
    });
    expect(granted.status).toBe(201);
    expect(granted.body.events).toMatchObject([
      {
        type: 'CreditsGranted',
        data: { grantId: 'images-pack', amount: '5000000', scope: ['images'] },
      },
    ]);
    expect(granted.body.wallet.grants).toContainEqual(
      expect.objectContaining({
        id: 'images-pack',
        remaining: '5000000',
        priority: 10,
        expiresAt: '2099-01-01T00:00:00.000Z',
        costBasis: { currency: 'USD', microsPerCredit: '2000000' },
      }),
    );
    expect(
      (
        await api.post(
          `${wallet}/grants`,
          { kind: 'purchased', amount: '10000000' },
          key('general'),
        )
      ).status,
    ).toBe(201);
    expect((await view()).balance).toBe('15000000');
  });

  it('refuses bad grant terms with a problem naming the field, and writes nothing', async () => {
    const bad = await api.post(`${wallet}/grants`, {
      grantId: 'x',
      kind: 'purchased',
      amount: '5',
      costBasis: { currency: 'usd', microsPerCredit: '1' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('costBasis.currency');
    const backwards = await api.post(`${wallet}/grants`, {
      grantId: 'y',
      kind: 'purchased',
      amount: '5',
      effectiveAt: '2099-01-02T00:00:00Z',
      expiresAt: '2099-01-01T00:00:00Z',
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors[0].field).toBe('expiresAt');
    expect((await view()).balance).toBe('15000000');
  });

  it('debits directly, once per usage event, and never pays text from the image-only grant', async () => {
    const debit = { usageEventId: 'direct-1', feature: 'llm.tokens', amount: '1000000' };
    const first = await api.post(`${wallet}/debits`, debit);
    expect(first.status).toBe(201);
    expect(first.body.events[0]).toMatchObject({
      type: 'UsageDebited',
      data: { allocations: [{ grantId: 'general', amount: '1000000' }] },
    });
    const again = await api.post(`${wallet}/debits`, debit);
    expect(again.body.events).toEqual([]);
    const tooMuch = await api.post(`${wallet}/debits`, {
      usageEventId: 'direct-2',
      feature: 'llm.tokens',
      amount: '9000001',
    });
    expect(tooMuch.status).toBe(402);
    expect(tooMuch.body.type).toBe('urn:burndown:problem:insufficient-credits');
    expect((await view()).balance).toBe('14000000');
  });

  it('reserves, reads, settles above the hold, and refuses a second resolution', async () => {
    const placed = await api.post(`${wallet}/holds`, {
      holdId: 'job-1',
      amount: '2000000',
      feature: 'llm.tokens',
      timeoutSeconds: 60,
    });
    expect(placed.status).toBe(201);
    expect(placed.body.wallet).toMatchObject({
      balance: '14000000',
      available: '12000000',
      held: '2000000',
    });
    expect((await api.get(`${wallet}/holds/job-1`)).body).toMatchObject({
      id: 'job-1',
      status: 'active',
      amount: '2000000',
    });

    const settled = await api.post(`${wallet}/holds/job-1/settlement`, { amount: '2500000' });
    expect(settled.status).toBe(200);
    expect(settled.body.events[0]).toMatchObject({
      type: 'HoldSettled',
      data: { amount: '2500000' },
    });
    expect(settled.body.wallet).toMatchObject({
      balance: '11500000',
      available: '11500000',
      held: '0',
    });
    expect((await api.get(`${wallet}/holds/job-1`)).body).toEqual({
      id: 'job-1',
      status: 'settled',
    });

    const releaseAfterSettle = await api.post(
      `${wallet}/holds/job-1/release`,
      {},
      key('release-job-1'),
    );
    expect(releaseAfterSettle.status).toBe(409);
    expect(releaseAfterSettle.body).toMatchObject({
      type: 'urn:burndown:problem:hold-already-resolved',
      errors: [{ field: 'holdId' }],
    });
    expect((await view()).balance).toBe('11500000');
  });

  it('releases a hold, refuses one beyond the available credit, and refuses early expiry', async () => {
    await api.post(`${wallet}/holds`, {
      holdId: 'job-2',
      amount: '1000000',
      feature: 'llm.tokens',
    });
    expect((await api.post(`${wallet}/holds/job-2/expiry`, {})).status).toBe(409);
    const released = await api.post(`${wallet}/holds/job-2/release`, {});
    expect(released.body.events[0]).toMatchObject({ type: 'HoldReleased' });
    const huge = await api.post(`${wallet}/holds`, {
      holdId: 'job-3',
      amount: '999000000',
      feature: 'llm.tokens',
    });
    expect(huge.status).toBe(402);
    expect((await api.get(`${wallet}/holds/job-3`)).status).toBe(404);
  });

  it('changes the policy (GET returns what PUT sent) and refuses a broken one naming the field', async () => {
    const policy = (await api.get(`${wallet}/policy`)).body;
    expect(policy.overdraft).toEqual({ mode: 'block' });
    const changed = await api.put(`${wallet}/policy`, {
      overdraft: { mode: 'allow-to-limit', limit: '3000000' },
    });
    expect(changed.status).toBe(200);
    expect((await api.get(`${wallet}/policy`)).body).toMatchObject({
      overdraft: { mode: 'allow-to-limit', limit: '3000000' },
      rollover: { mode: 'none' },
    });
    const broken = await api.put(`${wallet}/policy`, {
      overdraft: { mode: 'allow-to-limit', limit: 'plenty' },
    });
    expect(broken.status).toBe(400);
    expect(broken.body.errors[0].field).toBe('overdraft.limit');
    const unknown = await api.put(`${wallet}/policy`, { overdraught: {} });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('overdraught');
  });

  it('caps a team with a sub-budget drawing on the org pool', async () => {
    expect((await api.put(`${wallet}/budgets/research`, { cap: '1000000' })).status).toBe(200);
    const within = await api.post(`${wallet}/debits`, {
      usageEventId: 'team-1',
      feature: 'llm.tokens',
      amount: '600000',
      budgetId: 'research',
    });
    expect(within.status).toBe(201);
    const beyond = await api.post(`${wallet}/debits`, {
      usageEventId: 'team-2',
      feature: 'llm.tokens',
      amount: '600000',
      budgetId: 'research',
    });
    expect(beyond.status).toBe(402);
    expect(beyond.body.type).toBe('urn:burndown:problem:budget-exceeded');
    expect((await view()).budgets).toEqual([{ id: 'research', cap: '1000000', used: '600000' }]);
  });

  it('adds and deducts by adjustment, refunds as a new grant, and starts an allowance period', async () => {
    const before = BigInt((await view()).balance);
    expect(
      (
        await api.post(
          `${wallet}/adjustments`,
          { amount: '-400000', reason: 'double grant' },
          key('adj-1'),
        )
      ).status,
    ).toBe(201);
    expect(
      (
        await api.post(
          `${wallet}/adjustments`,
          { amount: '100000', reason: 'goodwill' },
          key('adj-2'),
        )
      ).status,
    ).toBe(201);
    const refund = await api.post(`${wallet}/refunds`, {
      refundId: 'outage-1',
      amount: '250000',
      reason: 'outage',
    });
    expect(refund.body.events[0]).toMatchObject({
      type: 'CreditsGranted',
      data: { kind: 'refund', amount: '250000' },
    });
    const period = await api.post(`${wallet}/allowance-periods`, {
      periodId: '2099-01',
      amount: '3000000',
      periodEnd: '2099-02-01T00:00:00Z',
    });
    expect(period.body.events[0]).toMatchObject({
      type: 'CreditsGranted',
      data: { kind: 'allowance', amount: '3000000' },
    });
    expect(BigInt((await view()).balance)).toBe(
      before - 400_000n + 100_000n + 250_000n + 3_000_000n,
    );
    // An allowance with rollover terms of its own; terms that cannot be read, or followed, are 400.
    const rolling = await api.post(`${wallet}/allowance-periods`, {
      periodId: '2099-02',
      amount: '1000000',
      periodEnd: '2099-03-01T00:00:00Z',
      rollover: { mode: 'all', expiresAfterMs: null },
    });
    expect(rolling.body.events[0]).toMatchObject({
      data: { kind: 'allowance', rollover: { mode: 'all', expiresAfterMs: null } },
    });
    const unreadable = await api.post(`${wallet}/allowance-periods`, {
      periodId: '2099-03',
      amount: '1000000',
      periodEnd: '2099-04-01T00:00:00Z',
      rollover: { mode: 'some' },
    });
    expect(unreadable.status).toBe(400);
    expect(JSON.stringify(unreadable.body.errors)).toMatch(/rollover/);
    const uncapped = await api.post(`${wallet}/allowance-periods`, {
      periodId: '2099-03',
      amount: '1000000',
      periodEnd: '2099-04-01T00:00:00Z',
      rollover: {
        mode: 'capped',
        capPercentOfAllowance: null,
        fixedCap: null,
        expiresAfterMs: null,
      },
    });
    expect(uncapped.status).toBeGreaterThanOrEqual(400);
    expect(uncapped.status).toBeLessThan(500);
    expect(uncapped.body.errors).toEqual([expect.objectContaining({ field: 'rollover' })]);
    expect((await api.post(`${wallet}/grants/images-pack/expiry`, {})).status).toBe(409);
  });

  it('pays back unused credits of a paid grant once, at its cost basis, and refuses free or missing credit', async () => {
    const grantOf = async (id: string) =>
      ((await view())['grants'] as { id: string; remaining: string }[]).find(
        (grant) => grant.id === id,
      );
    const before = await view();
    const remaining = BigInt((await grantOf('images-pack'))?.remaining ?? '0');
    const refunds = `${wallet}/grants/images-pack/refunds`;
    const refunded = await api.post(
      refunds,
      { amount: '1000000', reason: 'cancelled' },
      key('refund-unused-1'),
    );
    expect(refunded.status).toBe(201);
    expect(refunded.body.events).toMatchObject([
      {
        type: 'PurchaseRefunded',
        data: {
          grantId: 'images-pack',
          amount: '1000000',
          costBasis: { currency: 'USD', microsPerCredit: '2000000' },
        },
      },
    ]);
    // The same request again is the same refund: nothing more leaves the grant.
    expect(
      (await api.post(refunds, { amount: '1000000', reason: 'cancelled' }, key('refund-unused-1')))
        .status,
    ).toBe(201);
    expect(BigInt((await grantOf('images-pack'))?.remaining ?? '0')).toBe(remaining - 1_000_000n);
    expect(BigInt((await view()).balance)).toBe(BigInt(before.balance) - 1_000_000n);

    const free = await api.post(
      `${wallet}/grants/general/refunds`,
      { amount: '1', reason: 'x' },
      key('refund-free'),
    );
    expect(free.status).toBe(409);
    expect(free.body).toMatchObject({
      type: 'urn:burndown:problem:grant-not-refundable',
      errors: [{ field: 'grantId' }],
    });
    const tooMuch = await api.post(
      refunds,
      { amount: '999000000000', reason: 'x' },
      key('refund-too-much'),
    );
    expect(tooMuch.status).toBe(402);
    expect(tooMuch.body.errors).toMatchObject([{ field: 'amount' }]);
    const unknown = await api.post(
      `${wallet}/grants/nope/refunds`,
      { amount: '1', reason: 'x' },
      key('refund-unknown'),
    );
    expect(unknown.status).toBe(404);
    const malformed = await api.post(refunds, { reason: 'x' }, key('refund-malformed'));
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.body)).toMatch(/amount/);
    expect((await view()).balance).toBe((BigInt(before.balance) - 1_000_000n).toString());
  });

  it('answers any wallet command over the bus, refusals included', async () => {
    const bus = burndown.bus;
    const placed = (await bus.request(
      requests.walletCommand,
      {
        walletId: 'studio',
        command: {
          type: 'PlaceHold',
          commandId: 'bus-hold-1',
          holdId: 'bus-1',
          amount: '1000000',
          feature: 'gpu.seconds',
          expiresAt: '2099-01-01T00:00:00Z',
        },
      },
      { timeoutMs: 5_000 },
    )) as Record<string, unknown>;
    expect(placed).toMatchObject({ ok: true, held: '1000000', events: [{ type: 'CreditsHeld' }] });
    const refused = (await bus.request(
      requests.walletCommand,
      {
        walletId: 'studio',
        command: { type: 'SettleHold', commandId: 'bus-settle-x', holdId: 'nope', amount: '1' },
      },
      { timeoutMs: 5_000 },
    )) as Record<string, unknown>;
    expect(refused).toMatchObject({ ok: false, code: 'hold-not-found', field: 'holdId' });
    const malformed = (await bus.request(
      requests.walletCommand,
      { walletId: 'studio', command: { type: 'DebitUsage', amount: 5 } },
      { timeoutMs: 5_000 },
    )) as Record<string, unknown>;
    expect(malformed).toMatchObject({ ok: false, code: 'invalid-request' });
    // A bus caller cannot pick the time: an expiry "at" the far future would expire the hold now.
    const backdated = (await bus.request(
      requests.walletCommand,
      {
        walletId: 'studio',
        command: {
          type: 'ExpireHold',
          commandId: 'bus-expire-early',
          holdId: 'bus-1',
          at: '2099-06-01T00:00:00Z',
        },
      },
      { timeoutMs: 5_000 },
    )) as Record<string, unknown>;
    expect(backdated).toMatchObject({ ok: false, code: 'invalid-request', field: 'at' });
    expect((await api.get('/v1/wallets/studio/holds/bus-1')).body.status).toBe('active');
  });

  it('the scheduler times out a hold, expires a grant and starts allowance periods by itself', async () => {
    expect((await api.post('/v1/customers', { id: 'timed', name: 'Timed' })).status).toBe(201);
    const timed = '/v1/wallets/timed';
    const soon = new Date(Date.now() + 1_500).toISOString();
    await api.post(`${timed}/grants`, {
      grantId: 'short-lived',
      kind: 'promotional',
      amount: '3000000',
      expiresAt: soon,
    });
    await api.post(`${timed}/grants`, { grantId: 'lasting', kind: 'purchased', amount: '1000000' });
    await api.post(`${timed}/holds`, {
      holdId: 'slow-job',
      amount: '500000',
      feature: 'gpu.seconds',
      timeoutSeconds: 1,
    });
    await api.put(`${timed}/policy`, {
      allowance: { amount: '2000000', every: { unit: 'day', count: 1 } },
    });

    await eventually(
      async () =>
        expect((await api.get(`${timed}/holds/slow-job`)).body).toEqual({
          id: 'slow-job',
          status: 'expired',
        }),
      10_000,
    );
    const after = await eventually(async () => {
      const wallet = (await api.get(timed)).body;
      expect(wallet.grants.map((grant: { id: string }) => grant.id)).not.toContain('short-lived');
      expect(wallet.grants.some((grant: { kind: string }) => grant.kind === 'allowance')).toBe(
        true,
      );
      return wallet;
    }, 10_000);
    // 1,000,000 purchased + 2,000,000 allowance; the 3,000,000 promotional credit expired unspent.
    expect(after).toMatchObject({ balance: '3000000', available: '3000000', held: '0' });
    // Ledger lines are projected from the wallet stream, so the expiry may reach them a moment after the wallet.
    await eventually(async () => {
      const ledger = (await api.get(`${timed}/ledger?limit=50`)).body.data as Array<{
        entryType: string;
        amount: string;
      }>;
      expect(ledger).toContainEqual(
        expect.objectContaining({ entryType: 'expiry', amount: '-3000000' }),
      );
    }, 10_000);
  }, 30_000);
});
