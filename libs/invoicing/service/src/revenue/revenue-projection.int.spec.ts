import { EmbeddedDatabase, SqliteReadStore } from '@burndown/embedded';
import { monthlyRevenue } from '@burndown/invoicing-domain';
import type { JsonObject } from '@burndown/ports';
import { USD_2C, delivered, walletMessage } from '../test-support/wallet-messages';
import { REVENUE_LINES, REVENUE_WALLETS, lineOfDocument } from './revenue-documents';
import { RevenuePeriods } from './revenue-periods';
import { RevenueProjection, WalletMessageTooEarly } from './revenue-projection';

const CREDIT = 1_000_000n;
const pack = (amount: bigint) => ({
  grantId: 'pack',
  amount: amount.toString(),
  kind: 'purchased',
  costBasis: USD_2C,
});

/** A customer's wallet life: 5 credits bought at 2 cents, burned in November and December, the rest expiring. */
function life(customerId: string): JsonObject[] {
  const at = (revision: number, kind: string, type: string, data: JsonObject) =>
    walletMessage(kind, type, data, {
      customerId,
      revision: String(revision),
      eventId: `${customerId}-${revision}`,
    }).payload;
  return [
    at(0, 'granted', 'CreditsGranted', {
      at: '2026-11-05T10:00:00.000Z',
      grantId: 'pack',
      kind: 'purchased',
      amount: (5n * CREDIT).toString(),
      costBasis: USD_2C,
      priority: 100,
      effectiveAt: '2026-11-05T10:00:00.000Z',
      expiresAt: '2026-12-31T23:00:00.000Z',
      scope: [],
      source: 'order-1',
    }),
    at(1, 'debited', 'UsageDebited', {
      usageEventId: `${customerId}-u1`,
      feature: 'llm.tokens',
      amount: (2n * CREDIT).toString(),
      allocations: [pack(2n * CREDIT)],
      overdraft: '0',
      budgetId: null,
      usageOccurredAt: '2026-11-20T10:00:00.000Z',
    }),
    at(2, 'debited', 'UsageDebited', {
      usageEventId: `${customerId}-u2`,
      feature: 'llm.tokens',
      amount: CREDIT.toString(),
      allocations: [pack(CREDIT)],
      overdraft: '0',
      budgetId: null,
      usageOccurredAt: '2026-12-03T10:00:00.000Z',
    }),
    at(3, 'grant-expired', 'GrantExpired', {
      grantId: 'pack',
      amount: (2n * CREDIT).toString(),
      kind: 'purchased',
      costBasis: USD_2C,
      expiresAt: '2026-12-31T23:00:00.000Z',
    }),
  ];
}

/** November of every life: 10 cents bought, 2 credits (4 cents) burned. */
const NOVEMBER = {
  month: '2026-11',
  purchased: 10n,
  recognised: 4n,
  breakage: 0n,
  closingDeferred: 6n,
  lateItems: 0,
};

describe('the revenue projection, on the embedded read store', () => {
  let database: EmbeddedDatabase;
  let readStore: SqliteReadStore;
  let periods: RevenuePeriods;
  let projection: RevenueProjection;

  beforeEach(async () => {
    database = await EmbeddedDatabase.open();
    readStore = await SqliteReadStore.create(database);
    periods = new RevenuePeriods(readStore);
    projection = new RevenueProjection(readStore, () => periods.closedThrough());
  });
  afterEach(async () => {
    await database.close();
  });

  const report = async (customerId: string) => {
    const page = await readStore.find(REVENUE_LINES, { where: { customerId }, limit: 1_000 });
    return monthlyRevenue(page.items.map(({ id, document }) => lineOfDocument(id, document))).map(
      ({ month, purchased, recognised, breakage, closingDeferred, lateItems }) => ({
        month,
        purchased,
        recognised,
        breakage,
        closingDeferred,
        lateItems,
      }),
    );
  };

  it('books a purchase, burns across two months and the expiry, to the cent', async () => {
    for (const payload of life('acme')) await projection.apply(delivered(payload));
    expect(await report('acme')).toEqual([
      NOVEMBER,
      {
        month: '2026-12',
        purchased: 0n,
        recognised: 2n,
        breakage: 4n,
        closingDeferred: 0n,
        lateItems: 0,
      },
    ]);
  });

  it('applies many wallets at once, each in its own order, and a redelivered message once', async () => {
    const customers = ['a', 'b', 'c', 'd'];
    const lives = customers.map(life);
    await Promise.all(
      lives.flatMap((payloads) => payloads.map((payload) => projection.apply(delivered(payload)))),
    );
    await projection.apply(delivered(lives[0]?.[1] as JsonObject, 2));
    for (const customerId of customers)
      expect(
        (await report(customerId)).map(({ recognised, breakage }) => [recognised, breakage]),
      ).toEqual([
        [4n, 0n],
        [2n, 4n],
      ]);
    // All 5 credits taken from each grant, each once: 10 cents, exactly (in 10^-12 cents).
    for (const customerId of customers)
      expect((await readStore.get(REVENUE_WALLETS, customerId))?.document).toEqual({
        appliedThrough: '3',
        grants: { pack: { purchasedIn: '2026-11', takenExact: (10n * 10n ** 12n).toString() } },
        // Nothing was owed: every burn was covered.
        overageBooked: '0',
        overageUncovered: '0',
        overageOwed: '0',
      });
  });

  it('leaves a closed month as it was: a late burn goes to the first open month, marked late', async () => {
    const [granted, firstBurn] = life('acme');
    await projection.apply(delivered(granted as JsonObject));
    await projection.apply(delivered(firstBurn as JsonObject));
    await periods.close('2026-11');
    const late = walletMessage(
      'debited',
      'UsageDebited',
      {
        usageEventId: 'late-1',
        feature: 'llm.tokens',
        amount: CREDIT.toString(),
        allocations: [pack(CREDIT)],
        overdraft: '0',
        budgetId: null,
        usageOccurredAt: '2026-11-28T10:00:00.000Z',
      },
      { revision: '2', eventId: 'late-event' },
    ).payload;
    await projection.apply(delivered(late));
    expect(await report('acme')).toEqual([
      NOVEMBER,
      {
        month: '2026-12',
        purchased: 0n,
        recognised: 2n,
        breakage: 0n,
        closingDeferred: 4n,
        lateItems: 1,
      },
    ]);
  });

  it('fails a batch whose write fails without keeping any of it, and applies it once when it comes again', async () => {
    const [granted, firstBurn] = life('acme');
    await projection.apply(delivered(granted as JsonObject));
    const apply = readStore.apply.bind(readStore);
    readStore.apply = () => Promise.reject(new Error('disk full'));
    await expect(projection.apply(delivered(firstBurn as JsonObject))).rejects.toThrow('disk full');
    readStore.apply = apply;
    await projection.apply(delivered(firstBurn as JsonObject, 2));
    await projection.apply(delivered(firstBurn as JsonObject, 3));
    expect((await readStore.get(REVENUE_WALLETS, 'acme'))?.document['grants']).toEqual({
      pack: { purchasedIn: '2026-11', takenExact: (4n * 10n ** 12n).toString() },
    });
    expect(await report('acme')).toEqual([NOVEMBER]);
  });

  it('applies a message that comes before the one it follows only after that one', async () => {
    const [granted, firstBurn, secondBurn] = life('acme') as JsonObject[];
    await projection.apply(delivered(granted as JsonObject));
    await expect(projection.apply(delivered(secondBurn as JsonObject))).rejects.toThrow(
      WalletMessageTooEarly,
    );
    expect(await report('acme')).toEqual([{ ...NOVEMBER, recognised: 0n, closingDeferred: 10n }]);
    await projection.apply(delivered(firstBurn as JsonObject, 2));
    await projection.apply(delivered(secondBurn as JsonObject, 2));
    expect((await report('acme')).map(({ recognised }) => recognised)).toEqual([4n, 2n]);
  });

  it('after a failed write, refuses what follows until the failed message came again', async () => {
    const [granted, firstBurn, secondBurn] = life('acme') as JsonObject[];
    await projection.apply(delivered(granted as JsonObject));
    const apply = readStore.apply.bind(readStore);
    readStore.apply = () => Promise.reject(new Error('disk full'));
    await expect(projection.apply(delivered(firstBurn as JsonObject))).rejects.toThrow('disk full');
    readStore.apply = apply;
    // A new message is delivered before the failed one comes again: it must not be booked first.
    await expect(projection.apply(delivered(secondBurn as JsonObject))).rejects.toThrow(
      WalletMessageTooEarly,
    );
    await projection.apply(delivered(firstBurn as JsonObject, 2));
    await projection.apply(delivered(secondBurn as JsonObject, 2));
    expect((await report('acme')).map(({ recognised }) => recognised)).toEqual([4n, 2n]);
  });

  it("adds a grant's burns of one month up in one line, and goes on where it stopped after a restart", async () => {
    const burns = 50;
    const at = (revision: number) =>
      walletMessage(
        'debited',
        'UsageDebited',
        {
          usageEventId: `u${revision}`,
          feature: 'llm.tokens',
          amount: (CREDIT / 10n).toString(),
          allocations: [pack(CREDIT / 10n)],
          overdraft: '0',
          budgetId: null,
          usageOccurredAt: '2026-11-21T10:00:00.000Z',
        },
        { revision: String(revision), eventId: `debit-${revision}` },
      ).payload;
    const [granted] = life('acme');
    await projection.apply(delivered(granted as JsonObject));
    await Promise.all(
      Array.from({ length: burns / 2 }, (_, index) => projection.apply(delivered(at(index + 1)))),
    );
    // A new process on the same store: what it is sent again is applied once.
    projection = new RevenueProjection(readStore, () => periods.closedThrough());
    for (let revision = 1; revision <= burns; revision++)
      await projection.apply(delivered(at(revision), revision <= burns / 2 ? 2 : 1));
    // The summary a wallet publishes after its events moves nothing.
    await projection.apply(delivered({ walletId: 'acme', revision: String(burns) }));

    const lines = (await readStore.find(REVENUE_LINES, { limit: 100 })).items;
    expect(lines.map(({ id, document }) => [id, document['items'], document['minor']])).toEqual([
      ['acme/pack/purchased/2026-11/2026-11', 1, '10'],
      // 50 × 0.1 credit at 2 cents: 10 cents.
      ['acme/pack/recognised/2026-11/2026-11', burns, '10'],
    ]);
    expect((await readStore.get(REVENUE_WALLETS, 'acme'))?.document['appliedThrough']).toBe(
      String(burns),
    );
  });
});
