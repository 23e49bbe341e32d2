import { ApiClient, eventually } from '@burndown/testing';
import {
  STARTUP_TIMEOUT_MS,
  e2eTopology,
  startBurndownUnderTest,
  type BurndownUnderTest,
} from '../../../tools/e2e/burndown-under-test';

const starter = {
  name: 'Starter',
  currency: 'USD',
  interval: 'month',
  baseFee: '2900',
  allowance: { credits: '1000000000', rollover: { mode: 'none' } },
  features: { 'image.generation': { type: 'boolean', enabled: true } },
  packs: [{ packId: 'boost', credits: '2000000000', price: '1900', currency: 'USD' }],
};

// Plans and subscriptions through the public API, on every topology.
describe(`Burndown (${e2eTopology()}): plans and subscriptions`, () => {
  let burndown: BurndownUnderTest;
  let api: ApiClient;

  beforeAll(async () => {
    burndown = await startBurndownUnderTest({ BURNDOWN_LOG_LEVEL: 'warn' });
    api = new ApiClient(burndown.url, burndown.developmentKey);
  }, STARTUP_TIMEOUT_MS);
  afterAll(async () => {
    await burndown?.close();
  });

  it('publishes plan versions and refuses a bad plan naming the field', async () => {
    const first = await api.post('/v1/plans/starter/versions', starter);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ planId: 'starter', version: 1 });
    expect(
      (await api.post('/v1/plans/pro/versions', { ...starter, name: 'Pro', baseFee: '9900' }))
        .status,
    ).toBe(201);

    const bad = await api.post('/v1/plans/starter/versions', { ...starter, baseFee: 29 });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      type: 'urn:burndown:problem:invalid-plan',
      errors: [{ field: 'baseFee' }],
    });
    expect(
      (await api.post('/v1/plans/starter/versions', { ...starter, planId: 'other' })).status,
    ).toBe(400);

    const plan = await api.get('/v1/plans/starter');
    expect(plan.status).toBe(200);
    expect(plan.body).toMatchObject({
      planId: 'starter',
      versions: [
        {
          version: 1,
          definition: { baseFee: '2900', packs: [{ packId: 'boost', price: '1900' }] },
        },
      ],
    });
    expect((await api.get('/v1/plans/nothing')).status).toBe(404);
  });

  it('subscribes, changes plan at the next period, cancels at the period end, then now', async () => {
    const started = await api.post('/v1/subscriptions', {
      subscriptionId: 'sub-acme',
      customerId: 'acme',
      planId: 'starter',
    });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      subscriptionId: 'sub-acme',
      status: 'active',
      plan: { planId: 'starter', version: 1 },
      currentPeriod: { index: 0 },
      scheduledChange: null,
    });
    const periodEnd = (started.body.currentPeriod as { end: string }).end;
    expect(
      Date.parse(periodEnd) - Date.parse(started.body.anchor as string),
    ).toBeGreaterThanOrEqual(28 * 86_400_000);

    const changed = await api.post('/v1/subscriptions/sub-acme/plan-changes', { planId: 'pro' });
    expect(changed.status).toBe(201);
    expect(changed.body).toMatchObject({
      plan: { planId: 'starter' },
      scheduledChange: { planId: 'pro', version: 1, effectiveAt: periodEnd },
    });

    const canceling = await api.post('/v1/subscriptions/sub-acme/cancellation', {});
    expect(canceling.status).toBe(200);
    expect(canceling.body).toMatchObject({
      status: 'canceling',
      endsAt: periodEnd,
      scheduledChange: null,
    });

    const ended = await api.post('/v1/subscriptions/sub-acme/cancellation', { when: 'now' });
    expect(ended.body).toMatchObject({ status: 'ended', plan: null });
    const late = await api.post('/v1/subscriptions/sub-acme/plan-changes', { planId: 'pro' });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({
      type: 'urn:burndown:problem:ended',
      errors: [{ field: 'subscriptionId' }],
    });
  });

  it('answers unknown plans and subscriptions with 404 and bad input with 400, naming the field', async () => {
    const unknownPlan = await api.post('/v1/subscriptions', { customerId: 'acme', planId: 'gold' });
    expect(unknownPlan.status).toBe(404);
    expect(unknownPlan.body).toMatchObject({ errors: [{ field: 'planId' }] });
    expect((await api.get('/v1/subscriptions/none')).status).toBe(404);
    const notStarted = await api.post('/v1/subscriptions/none/cancellation', {});
    expect(notStarted.status).toBe(404);
    expect(notStarted.body).toMatchObject({ type: 'urn:burndown:problem:not-subscribed' });
    const badWhen = await api.post('/v1/subscriptions/sub-acme/cancellation', { when: 'tomorrow' });
    expect(badWhen.status).toBe(400);
    expect(badWhen.body).toMatchObject({ errors: [{ field: 'when' }] });
    const twice = await api.post('/v1/subscriptions', {
      subscriptionId: 'sub-acme',
      customerId: 'acme',
      planId: 'starter',
    });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ type: 'urn:burndown:problem:already-subscribed' });
  });

  it("sells the plan's packs: a finalized invoice whose payment, reported twice, grants the credits once", async () => {
    expect((await api.post('/v1/customers', { id: 'packer', name: 'Packer' })).status).toBe(201);
    expect(
      (
        await api.post('/v1/subscriptions', {
          subscriptionId: 'sub-packer',
          customerId: 'packer',
          planId: 'starter',
        })
      ).status,
    ).toBe(201);
    const bought = await api.post('/v1/subscriptions/sub-packer/pack-purchases', {
      packId: 'boost',
      purchaseId: 'p1',
    });
    expect(bought.status).toBe(201);
    expect(bought.body).toMatchObject({
      invoiceId: 'pack-p1',
      status: 'finalized',
      number: expect.stringMatching(/^INV-\d{6}$/),
      source: { type: 'credit-pack', packId: 'boost' },
      total: '1900',
      lines: [{ credits: '2000000000' }],
    });
    for (const _report of [1, 2])
      expect(
        (await api.post('/v1/invoices/pack-p1/payments', { paymentId: 'pay-p1', amount: '1900' }))
          .status,
      ).toBe(200);
    // The grant lands on the wallet, then the invoice's read model says so.
    await eventually(async () => {
      expect((await api.get('/v1/invoices/pack-p1')).body).toMatchObject({
        creditsGranted: { status: 'granted' },
      });
    });
    // Granted once (the plan's allowance lands on the same wallet beside it).
    const grants = (await api.get('/v1/wallets/packer')).body['grants'] as { id: string }[];
    expect(grants.filter(({ id }) => id === 'pack-p1:pack')).toEqual([
      expect.objectContaining({ kind: 'purchased', amount: '2000000000' }),
    ]);
    const unknown = await api.post('/v1/subscriptions/sub-packer/pack-purchases', {
      packId: 'mega',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ errors: [{ field: 'packId' }] });
  });

  it('bills a period when it starts: the base fee invoiced and finalized, the allowance granted on the wallet', async () => {
    expect((await api.post('/v1/customers', { id: 'biller', name: 'Biller' })).status).toBe(201);
    const started = await api.post('/v1/subscriptions', {
      subscriptionId: 'sub-biller',
      customerId: 'biller',
      planId: 'starter',
    });
    const period = started.body['currentPeriod'] as { start: string; end: string };
    await eventually(async () => {
      const invoice = await api.get('/v1/invoices/sub-biller.p0');
      expect(invoice.status).toBe(200);
      expect(invoice.body).toMatchObject({
        status: 'finalized',
        customerId: 'biller',
        source: { type: 'subscription-period', subscriptionId: 'sub-biller', period: 0 },
        total: '2900',
        lines: [{ lineId: 'base-fee', unitPrice: '2900', credits: '0' }],
      });
    });
    await eventually(async () => {
      const wallet = await api.get('/v1/wallets/biller');
      expect(wallet.body['grants']).toEqual([
        expect.objectContaining({
          id: 'allowance:sub-biller:0',
          kind: 'allowance',
          amount: '1000000000',
          expiresAt: new Date(period.end).toISOString(),
        }),
      ]);
    });
  });

  it('invoices the overage a period booked when it ends (here: cancelled now) and settles it on the wallet', async () => {
    // 3 cents a credit (a grant's cost-basis unit: millionths of a cent), no base fee.
    const metered = {
      name: 'Metered',
      currency: 'USD',
      baseFee: '0',
      overage: { microsPerCredit: '3000000', uncovered: 'invoice' },
    };
    expect((await api.post('/v1/plans/metered/versions', metered)).status).toBe(201);
    expect((await api.post('/v1/customers', { id: 'overager', name: 'Overager' })).status).toBe(
      201,
    );
    const started = await api.post('/v1/subscriptions', {
      subscriptionId: 'sub-overager',
      customerId: 'overager',
      planId: 'metered',
    });
    expect(started.status).toBe(201);
    const usage = (id: string) => ({
      id,
      customerId: 'overager',
      type: 'llm.tokens',
      quantity: '1500',
    });
    // An empty block wallet: 1.5 credits booked as uncovered overage.
    expect((await api.post('/v1/events', usage('over-1'))).status).toBe(202);
    await eventually(async () =>
      expect((await api.get('/v1/wallets/overager')).body).toMatchObject({ overage: '1500000' }),
    );
    // Credits bought afterwards, and burned: once revenue shows the burn, invoicing has applied
    // every wallet event before it, the overage included.
    await api.post(
      '/v1/wallets/overager/grants',
      {
        grantId: 'pack',
        kind: 'purchased',
        amount: '10000000',
        costBasis: { currency: 'USD', microsPerCredit: '2000000' },
      },
      { headers: { 'idempotency-key': 'overager-pack' } },
    );
    expect((await api.post('/v1/events', usage('over-2'))).status).toBe(202);
    await eventually(async () =>
      expect((await api.get('/v1/revenue/customers/overager')).body.months).toEqual([
        expect.objectContaining({ recognised: '3' }),
      ]),
    );

    const ended = await api.post('/v1/subscriptions/sub-overager/cancellation', { when: 'now' });
    expect(ended.body).toMatchObject({ status: 'ended' });
    // 1.5 credits × 3 cents = 4.5 cents, rounded half up once: 5.
    const invoice = await eventually(async () => {
      const found = await api.get('/v1/invoices/sub-overager.p0.overage');
      expect(found.status).toBe(200);
      expect(found.body).toMatchObject({ status: 'finalized' });
      return found.body;
    });
    expect(invoice).toMatchObject({
      customerId: 'overager',
      source: { type: 'subscription-overage', subscriptionId: 'sub-overager', period: 0 },
      total: '5',
      lines: [{ lineId: 'overage', unitPrice: '5', credits: '0' }],
    });
    // Billed, so no longer owed on the wallet: 10 credits bought, 1.5 burned from them.
    await eventually(async () =>
      expect((await api.get('/v1/wallets/overager')).body).toMatchObject({
        overage: '0',
        balance: '8500000',
      }),
    );
    // The ledger is a projection: it follows the wallet a moment later.
    await eventually(async () => {
      const ledger = (await api.get('/v1/wallets/overager/ledger')).body.data as Array<
        Record<string, unknown>
      >;
      expect(ledger.find((line) => line.entryType === 'overage-settled')).toMatchObject({
        amount: '1500000',
        outcome: 'invoiced',
        reference: invoice.number,
      });
    });
  });
});
