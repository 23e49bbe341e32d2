import { ApiClient, eventually } from '@burndown/testing';
import {
  STARTUP_TIMEOUT_MS,
  e2eTopology,
  startBurndownUnderTest,
  type BurndownUnderTest,
} from '../../../tools/e2e/burndown-under-test';

const monthOf = (at: Date) => at.toISOString().slice(0, 7);
const THIS_MONTH = monthOf(new Date());
const LAST_MONTH = monthOf(new Date(Date.parse(`${THIS_MONTH}-01T00:00:00Z`) - 1));

// Revenue recognition by cost basis, through the public API: invoicing keeps it from the wallet
// events alone, on every topology.
describe(`Burndown (${e2eTopology()}): revenue by cost basis`, () => {
  let burndown: BurndownUnderTest;
  let api: ApiClient;
  const key = (value: string) => ({ headers: { 'idempotency-key': value } });
  const usage = (id: string, timestamp?: string) => ({
    id,
    customerId: 'ledgerly',
    type: 'llm.tokens',
    quantity: '1000',
    properties: { model: 'small' },
    ...(timestamp === undefined ? {} : { timestamp }),
  });
  const months = async () =>
    (await api.get('/v1/revenue/customers/ledgerly')).body.months as Record<string, unknown>[];

  beforeAll(async () => {
    burndown = await startBurndownUnderTest({ BURNDOWN_LOG_LEVEL: 'warn' });
    api = new ApiClient(burndown.url, burndown.developmentKey);
    expect((await api.post('/v1/customers', { id: 'ledgerly', name: 'Ledgerly' })).status).toBe(
      201,
    );
  }, STARTUP_TIMEOUT_MS);
  afterAll(async () => {
    await burndown?.close();
  });

  it('defers credits bought for money, recognises what usage burns, returns what is refunded; promotional credits count nothing', async () => {
    // 5 credits at 2 cents: 10 cents deferred. The promotional credits burn first (free first).
    await api.post(
      '/v1/wallets/ledgerly/grants',
      {
        grantId: 'pack-1',
        kind: 'purchased',
        amount: '5000000',
        costBasis: { currency: 'USD', microsPerCredit: '2000000' },
      },
      key('pack-1'),
    );
    await api.post(
      '/v1/wallets/ledgerly/grants',
      { grantId: 'welcome', kind: 'promotional', amount: '1000000' },
      key('welcome'),
    );
    for (const id of ['rev-1', 'rev-2', 'rev-3'])
      expect((await api.post('/v1/events', usage(id))).status).toBe(202);
    await eventually(
      async () => expect((await api.get('/v1/wallets/ledgerly')).body.balance).toBe('3000000'),
      10_000,
    );
    expect(
      (
        await api.post(
          '/v1/wallets/ledgerly/grants/pack-1/refunds',
          { amount: '1000000', reason: 'unused' },
          key('refund-1'),
        )
      ).status,
    ).toBe(201);

    // 1 credit promotional (nothing), 2 credits of the pack recognised (4 cents), 1 refunded (2 cents).
    await eventually(
      async () =>
        expect(await months()).toEqual([
          {
            currency: 'USD',
            month: THIS_MONTH,
            openingDeferred: '0',
            purchased: '10',
            recognised: '4',
            breakage: '0',
            refunded: '2',
            closingDeferred: '4',
            lateItems: 0,
          },
        ]),
      10_000,
    );
  });

  it('closes a month: usage dated in it that arrives later is booked in the first open month, marked late', async () => {
    const closed = await api.post('/v1/revenue/periods/close', { month: LAST_MONTH });
    expect(closed.status).toBe(200);
    expect((await api.get('/v1/revenue/periods')).body).toEqual({ closedThrough: LAST_MONTH });
    const lastDay = new Date(Date.parse(`${THIS_MONTH}-01T00:00:00Z`) - 3_600_000).toISOString();
    expect((await api.post('/v1/events', usage('rev-late', lastDay))).status).toBe(202);

    await eventually(
      async () =>
        expect(await months()).toEqual([
          expect.objectContaining({
            month: THIS_MONTH,
            recognised: '6',
            closingDeferred: '2',
            lateItems: 1,
          }),
        ]),
      10_000,
    );
    // Closing goes forward only; a month that does not exist is a 400 naming the field.
    const back = await api.post('/v1/revenue/periods/close', { month: '2000-01' });
    expect(back.status).toBe(409);
    const malformed = await api.post('/v1/revenue/periods/close', { month: 'November' });
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.body)).toMatch(/month/);
  });

  it('exports the month as a balanced double-entry journal in CSV', async () => {
    const response = await fetch(`${burndown.url}/v1/revenue/journal?month=${THIS_MONTH}`, {
      headers: { authorization: `Bearer ${burndown.developmentKey}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...rows] = (await response.text()).trim().split('\r\n');
    expect(header).toBe('month,line_id,customer_id,currency,kind,account,debit,credit,late,items');
    const entries = rows.map((row) => row.split(','));
    // Purchase, the two burns of the pack added up, the refund and the late burn: four lines,
    // eight entries.
    expect(entries).toHaveLength(8);
    expect(
      entries.filter((entry) => entry[4] === 'recognised').map((entry) => [entry[8], entry[9]]),
    ).toEqual([
      ['true', '1'],
      ['true', '1'],
      ['false', '2'],
      ['false', '2'],
    ]);
    const sum = (column: number) =>
      entries.reduce((total, entry) => total + BigInt(entry[column] ?? '0'), 0n);
    expect(sum(6)).toBe(sum(7));
    expect(sum(6)).toBe(10n + 4n + 2n + 2n);
    expect(entries.filter((entry) => entry[5] === '4000 Revenue').map((entry) => entry[7])).toEqual(
      ['2', '4'],
    );
    expect((await api.get('/v1/revenue/journal?month=last')).status).toBe(400);
  });

  it('shows what is still deferred of each month of purchase', async () => {
    const waterfall = await api.get(
      `/v1/revenue/customers/ledgerly/waterfall?through=${THIS_MONTH}`,
    );
    expect(waterfall.status).toBe(200);
    expect(waterfall.body).toEqual({
      customerId: 'ledgerly',
      through: THIS_MONTH,
      rows: [
        {
          currency: 'USD',
          purchasedIn: THIS_MONTH,
          purchased: '10',
          deferredAtEndOf: [{ month: THIS_MONTH, deferred: '2' }],
        },
      ],
    });
  });
});
