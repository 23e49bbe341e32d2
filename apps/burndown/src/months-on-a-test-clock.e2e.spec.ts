import { ApiClient, TestClock, eventually } from '@burndown/testing';
import {
  STARTUP_TIMEOUT_MS,
  e2eTopology,
  startBurndownUnderTest,
  type BurndownUnderTest,
} from '../../../tools/e2e/burndown-under-test';

// Months pass on a test clock (BURNDOWN_TEST_CLOCK_FILE), on every topology: credits bought for
// money and burned across two months, the rest expiring at the end of the second, January closed
// before a late January burn arrives; then a subscription's overage invoiced when its period ends.
describe(`Burndown (${e2eTopology()}): billing as months pass`, () => {
  let burndown: BurndownUnderTest;
  let api: ApiClient;
  let clock: TestClock;
  const usage = (id: string, credits: number, timestamp: string) => ({
    id,
    customerId: 'bimonthly',
    type: 'llm.tokens',
    quantity: String(credits * 1_000),
    timestamp,
  });
  const balance = async () => (await api.get('/v1/wallets/bimonthly')).body.balance;
  /** A monthly plan with no base fee, and a customer subscribed to it from the clock's now. */
  const subscribe = async (planId: string, plan: Record<string, unknown>, customerId: string) => {
    const monthly = { name: planId, currency: 'USD', interval: 'month', baseFee: '0', ...plan };
    expect((await api.post(`/v1/plans/${planId}/versions`, monthly)).status).toBe(201);
    expect((await api.post('/v1/customers', { id: customerId, name: customerId })).status).toBe(
      201,
    );
    const started = await api.post('/v1/subscriptions', {
      subscriptionId: `sub-${customerId}`,
      customerId,
      planId,
    });
    expect(started.status).toBe(201);
  };

  beforeAll(async () => {
    clock = TestClock.start('2027-01-10T12:00:00Z');
    burndown = await startBurndownUnderTest({
      BURNDOWN_LOG_LEVEL: 'warn',
      BURNDOWN_TEST_CLOCK_FILE: clock.file,
      BURNDOWN_SCHEDULER_INTERVAL_MS: '200',
    });
    api = new ApiClient(burndown.url, burndown.developmentKey);
    expect((await api.post('/v1/customers', { id: 'bimonthly', name: 'Bimonthly' })).status).toBe(
      201,
    );
  }, STARTUP_TIMEOUT_MS);
  afterAll(async () => {
    await burndown?.close();
    clock?.remove();
  });

  it('recognises each month what its usage burned and books what expired as breakage, to the cent', async () => {
    const granted = await api.post(
      '/v1/wallets/bimonthly/grants',
      {
        grantId: 'pack-jan',
        kind: 'purchased',
        amount: '1000000000',
        costBasis: { currency: 'USD', microsPerCredit: '1000000' },
        expiresAt: '2027-02-28T23:59:59Z',
      },
      { headers: { 'idempotency-key': 'pack-jan' } },
    );
    expect(granted.status).toBe(201);

    // January: 300 credits burned (usage is sent once its own time has come: never ahead of the clock).
    await clock.moveTo('2027-01-28T19:00:00Z');
    expect((await api.post('/v1/events', usage('jan-1', 120, '2027-01-15T09:00:00Z'))).status).toBe(
      202,
    );
    expect((await api.post('/v1/events', usage('jan-2', 180, '2027-01-28T18:30:00Z'))).status).toBe(
      202,
    );
    await eventually(async () => expect(await balance()).toBe('700000000'), 10_000);

    // February: January is closed; a January burn arriving now is booked in February, marked late.
    clock.set('2027-02-10T08:00:00Z');
    expect((await api.post('/v1/revenue/periods/close', { month: '2027-01' })).status).toBe(200);
    expect(
      (await api.post('/v1/events', usage('jan-late', 50, '2027-01-20T10:00:00Z'))).status,
    ).toBe(202);
    await clock.moveTo('2027-02-12T15:00:00Z');
    expect((await api.post('/v1/events', usage('feb-1', 150, '2027-02-12T14:00:00Z'))).status).toBe(
      202,
    );
    await eventually(async () => expect(await balance()).toBe('500000000'), 10_000);

    // The grant expires at the end of February with 500 credits left: $5.00 of breakage.
    clock.set('2027-03-01T00:00:05Z');
    await eventually(
      async () =>
        expect((await api.get('/v1/wallets/bimonthly')).body).toMatchObject({
          balance: '0',
          grants: [],
        }),
      10_000,
    );
    await eventually(async () => {
      const { body } = await api.get('/v1/revenue/customers/bimonthly');
      expect(body.overage).toEqual([]);
      expect(body.months).toEqual([
        {
          currency: 'USD',
          month: '2027-01',
          openingDeferred: '0',
          purchased: '1000',
          recognised: '300',
          breakage: '0',
          refunded: '0',
          closingDeferred: '700',
          lateItems: 0,
        },
        {
          currency: 'USD',
          month: '2027-02',
          openingDeferred: '700',
          purchased: '0',
          recognised: '200',
          breakage: '500',
          refunded: '0',
          closingDeferred: '0',
          lateItems: 1,
        },
      ]);
    }, 10_000);
    const waterfall = await api.get('/v1/revenue/customers/bimonthly/waterfall?through=2027-02');
    expect(waterfall.body).toMatchObject({
      rows: [
        {
          purchasedIn: '2027-01',
          purchased: '1000',
          deferredAtEndOf: [
            { month: '2027-01', deferred: '700' },
            { month: '2027-02', deferred: '0' },
          ],
        },
      ],
    });
  });

  it('invoices the overage a period booked when the period ends, and settles it on the wallet', async () => {
    // The clock stands at 1 March 2027 now. 3 cents a credit of overage, no base fee.
    await subscribe(
      'metered',
      { overage: { microsPerCredit: '3000000', uncovered: 'invoice' } },
      'metered',
    );
    const meteredUsage = (id: string, timestamp: string) => ({
      id,
      customerId: 'metered',
      type: 'llm.tokens',
      quantity: '1500',
      timestamp,
    });
    // An empty wallet: 1.5 credits booked as overage.
    await clock.moveTo('2027-03-05T11:00:00Z');
    expect((await api.post('/v1/events', meteredUsage('m-1', '2027-03-05T10:00:00Z'))).status).toBe(
      202,
    );
    await eventually(async () =>
      expect((await api.get('/v1/wallets/metered')).body).toMatchObject({ overage: '1500000' }),
    );
    // Credits bought afterwards and burned: once revenue shows the burn, invoicing has applied
    // every wallet event before it, the overage included.
    await api.post(
      '/v1/wallets/metered/grants',
      {
        grantId: 'pack',
        kind: 'purchased',
        amount: '10000000',
        costBasis: { currency: 'USD', microsPerCredit: '2000000' },
      },
      { headers: { 'idempotency-key': 'metered-pack' } },
    );
    await clock.moveTo('2027-03-06T11:00:00Z');
    expect((await api.post('/v1/events', meteredUsage('m-2', '2027-03-06T10:00:00Z'))).status).toBe(
      202,
    );
    await eventually(async () =>
      expect((await api.get('/v1/revenue/customers/metered')).body.months).toEqual([
        expect.objectContaining({ month: '2027-03', recognised: '3' }),
      ]),
    );
    expect((await api.get('/v1/invoices/sub-metered.p0.overage')).status).toBe(404);

    // The first period ends on 1 April: 1.5 credits × 3 cents = 4.5 cents, rounded half up: 5.
    clock.set('2027-04-01T00:00:10Z');
    const invoice = await eventually(async () => {
      const found = await api.get('/v1/invoices/sub-metered.p0.overage');
      expect(found.body).toMatchObject({ status: 'finalized' });
      return found.body;
    }, 10_000);
    expect(invoice).toMatchObject({
      customerId: 'metered',
      source: { type: 'subscription-overage', subscriptionId: 'sub-metered', period: 0 },
      total: '5',
      lines: [{ lineId: 'overage', unitPrice: '5', credits: '0' }],
    });
    await eventually(async () =>
      expect((await api.get('/v1/wallets/metered')).body).toMatchObject({
        overage: '0',
        balance: '8500000',
      }),
    );
    // The revenue report shows it beside the months of purchased credits, never in deferred
    // revenue, in the month the period ended in: it began a few seconds into 1 March, so it ended
    // a few seconds into 1 April.
    await eventually(async () =>
      expect((await api.get('/v1/revenue/customers/metered')).body).toMatchObject({
        months: [expect.objectContaining({ month: '2027-03', purchased: '20', recognised: '3' })],
        overage: [
          {
            currency: 'USD',
            month: '2027-04',
            invoicedCredits: '1500000',
            invoiced: '5',
            writtenOffCredits: '0',
            periods: 1,
          },
        ],
      }),
    );
    // April's journal books it as revenue against the receivable, balanced.
    const journal = await fetch(`${burndown.url}/v1/revenue/journal?month=2027-04`, {
      headers: { authorization: `Bearer ${burndown.developmentKey}` },
    });
    const overageRows = (await journal.text())
      .trim()
      .split('\r\n')
      .filter((row) => row.includes('/overage/'));
    expect(overageRows).toEqual([
      '2027-04,metered/overage/sub-metered.p0,metered,USD,overage,1100 Cash and receivables,5,0,false,1',
      '2027-04,metered/overage/sub-metered.p0,metered,USD,overage,4000 Revenue,0,5,false,1',
    ]);
    expect((await api.get('/v1/subscriptions/sub-metered')).body).toMatchObject({
      status: 'active',
    });
  });

  it("rolls a plan's unused allowance over at the period end by the plan's terms, not the wallet's", async () => {
    // The clock stands a few seconds into 1 April 2027. 100 credits a month, at most 30 carried over.
    await subscribe(
      'rolling',
      { allowance: { credits: '100000000', rollover: { mode: 'capped', cap: '30000000' } } },
      'roller',
    );
    await eventually(
      async () => expect((await api.get('/v1/wallets/roller')).body.balance).toBe('100000000'),
      10_000,
    );
    const spend = {
      id: 'roll-1',
      customerId: 'roller',
      type: 'llm.tokens',
      quantity: '50000',
      timestamp: '2027-04-05T10:00:00Z',
    };
    await clock.moveTo('2027-04-05T11:00:00Z');
    expect((await api.post('/v1/events', spend)).status).toBe(202);
    await eventually(async () =>
      expect((await api.get('/v1/wallets/roller')).body.balance).toBe('50000000'),
    );

    // May: 50 unused, 30 of them carried over (the wallet's own policy carries nothing), and May's 100.
    clock.set('2027-05-01T00:01:00Z');
    await eventually(async () => {
      const wallet = (await api.get('/v1/wallets/roller')).body;
      expect(wallet.balance).toBe('130000000');
      expect(wallet.policy).toMatchObject({ rollover: { mode: 'none' } });
      expect(
        (wallet.grants as { kind: string; remaining: string }[]).map(({ kind, remaining }) => ({
          kind,
          remaining,
        })),
      ).toEqual(
        expect.arrayContaining([
          { kind: 'rollover', remaining: '30000000' },
          { kind: 'allowance', remaining: '100000000' },
        ]),
      );
    }, 10_000);
  });

  it('invoices what a period billed short of the plan commitment when the period ends', async () => {
    // The clock stands a minute into 1 May 2027. $10 a month, committed to at least $50.
    await subscribe('committed', { baseFee: '1000', commitment: { minimum: '5000' } }, 'committer');
    const baseFee = await eventually(async () => {
      const found = await api.get('/v1/invoices/sub-committer.p0');
      expect(found.body).toMatchObject({ status: 'finalized', total: '1000' });
      return found.body;
    }, 10_000);
    expect((await api.get('/v1/invoices/sub-committer.p0.true-up')).status).toBe(404);

    clock.set('2027-06-01T00:05:00Z');
    const trueUp = await eventually(async () => {
      const found = await api.get('/v1/invoices/sub-committer.p0.true-up');
      expect(found.body).toMatchObject({ status: 'finalized' });
      return found.body;
    }, 10_000);
    expect(trueUp).toMatchObject({
      customerId: 'committer',
      source: { type: 'subscription-true-up', subscriptionId: 'sub-committer', period: 0 },
      total: '4000',
      lines: [{ lineId: 'true-up', credits: '0' }],
    });
    expect(Number(trueUp.number.slice(4))).toBeGreaterThan(Number(baseFee.number.slice(4)));
  });
});
