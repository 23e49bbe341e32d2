import { ApiClient, TestClock, eventually } from '@burndown/testing';
import {
  STARTUP_TIMEOUT_MS,
  e2eTopology,
  startBurndownUnderTest,
  type BurndownUnderTest,
} from '../../../tools/e2e/burndown-under-test';

// Credits bought for money and burned across two months, the rest expiring at the end of the
// second, with January closed before a late January burn arrives: months pass on a test clock
// (BURNDOWN_TEST_CLOCK_FILE), on every topology. 1,000 credits at 1 cent each: $10.00 deferred.
describe(`Burndown (${e2eTopology()}): revenue across two months`, () => {
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

    // January: 300 credits burned.
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
});
