import { EmbeddedDatabase, SqliteEventStore, SqliteReadStore } from '@burndown/embedded';
import type { JsonValue, MessageBus } from '@burndown/ports';
import { Invoices } from '../invoices/invoices';
import { OVERAGE_SETTLEMENTS, OverageBilling, overageInvoiceId } from '../overage/overage-billing';
import { REVENUE_WALLETS } from '../revenue/revenue-documents';
import { CommitmentTrueUps, trueUpInvoiceId } from './commitment-true-ups';
import { PlanCatalogue } from './plan-catalogue';
import { SubscriptionBilling, periodInvoiceId } from './subscription-billing';
import { Subscriptions } from './subscriptions';

const plan = {
  planId: 'starter',
  name: 'Starter',
  currency: 'USD',
  baseFee: '2900',
  allowance: { credits: '1000000000' },
};

describe('subscription billing, period after period', () => {
  let database: EmbeddedDatabase;
  let store: SqliteEventStore;
  let readStore: SqliteReadStore;
  let now: Date;
  const asked: { command: Record<string, unknown> }[] = [];
  // The wallet, answering allowance periods: a period asked for twice is refused as a repeat.
  const bus = {
    request: async (_subject: string, payload: JsonValue) => {
      const { command } = payload as { command: Record<string, unknown> };
      const repeat = asked.some((earlier) => earlier.command['commandId'] === command['commandId']);
      asked.push({ command });
      return repeat ? { ok: false, code: 'grant-already-exists' } : { ok: true };
    },
  } as unknown as MessageBus;
  const clock = { now: () => now };

  beforeEach(async () => {
    database = await EmbeddedDatabase.open();
    store = await SqliteEventStore.create(database);
    readStore = await SqliteReadStore.create(database);
    asked.length = 0;
    now = new Date('2027-01-31T09:00:00Z');
    await new PlanCatalogue(store).publish('starter', {
      type: 'PublishPlanVersion',
      commandId: 'plan',
      at: now,
      definition: plan,
      effectiveFrom: null,
    });
    await new Subscriptions(store).execute('s1', {
      type: 'StartSubscription',
      commandId: 'start',
      at: now,
      customerId: 'acme',
      plan: { planId: 'starter', version: 1, interval: 'month' },
    });
  });
  afterEach(async () => {
    await database.close();
  });

  const billing = () => {
    const process = new SubscriptionBilling(
      store,
      bus,
      clock,
      { schedulerIntervalMs: 60_000 },
      new Invoices(store),
      new PlanCatalogue(store),
      new OverageBilling(readStore, bus, new Invoices(store)),
      new CommitmentTrueUps(new Invoices(store)),
    );
    process.onApplicationBootstrap();
    return process;
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

  it('invoices each period once and grants the allowance of the periods still running, across restarts', async () => {
    const first = billing();
    try {
      await settle();
      expect(await first.tick()).toBe(1);
      expect(await first.tick()).toBe(0);
    } finally {
      await first.onModuleDestroy();
    }
    // Restarted within the first period, then ticking on 1 April (periods from 28 February and 31 March).
    now = new Date('2027-02-10T00:00:00Z');
    const second = billing();
    try {
      await settle();
      expect(await second.tick()).toBe(1);
      now = new Date('2027-04-01T00:00:00Z');
      expect(await second.tick()).toBe(2);
    } finally {
      await second.onModuleDestroy();
    }
    const invoices = new Invoices(store);
    for (const period of [0, 1, 2])
      expect(await invoices.get(periodInvoiceId('s1', period))).toMatchObject({
        status: 'finalized',
        number: period + 1,
      });
    expect(await invoices.get(periodInvoiceId('s1', 3))).toMatchObject({ status: 'none' });
    // Period 0 when it started, and again after the restart (the wallet knows it: a repeat);
    // period 2, still running on 1 April; not period 1, which had ended when it was billed.
    expect(asked.map(({ command }) => [command['periodId'], command['periodEnd']])).toEqual([
      ['s1:0', '2027-02-28T09:00:00.000Z'],
      ['s1:0', '2027-02-28T09:00:00.000Z'],
      ['s1:2', '2027-04-30T09:00:00.000Z'],
    ]);
    // The plan's rollover (none, by default) goes with each allowance, over the wallet policy's.
    expect(asked.map(({ command }) => command['rollover'])).toEqual(
      Array(3).fill({ mode: 'none' }),
    );
  });

  describe('overage at the end of each period', () => {
    const CREDIT = 1_000_000n;
    /** What the revenue projection keeps of the wallet's overage. */
    const walletBooked = (booked: bigint, uncovered: bigint, owed: bigint, version: bigint) =>
      readStore.apply({
        writes: [
          {
            collection: REVENUE_WALLETS,
            id: 'acme',
            version,
            document: {
              appliedThrough: (version - 1n).toString(),
              grants: {},
              overageBooked: booked.toString(),
              overageUncovered: uncovered.toString(),
              overageOwed: owed.toString(),
            },
          },
        ],
      });
    const publishOveragePlan = (uncovered: 'invoice' | 'write-off') =>
      new PlanCatalogue(store).publish('starter', {
        type: 'PublishPlanVersion',
        commandId: `plan-${uncovered}`,
        at: now,
        // 3 cents a credit: a grant's cost-basis unit, millionths of a cent.
        definition: { ...plan, overage: { microsPerCredit: '3000000', uncovered } },
        effectiveFrom: null,
      });
    const subscribeToVersion2 = (subscriptionId: string) =>
      new Subscriptions(store).execute(subscriptionId, {
        type: 'StartSubscription',
        commandId: `start-${subscriptionId}`,
        at: now,
        customerId: 'acme',
        plan: { planId: 'starter', version: 2, interval: 'month' },
      });
    const settlements = () =>
      asked
        .filter(({ command }) => command['type'] === 'SettleOverage')
        .map(({ command }) => command);

    it('invoices what a period billed short of the commitment once, after its base fee and overage', async () => {
      await new PlanCatalogue(store).publish('starter', {
        type: 'PublishPlanVersion',
        commandId: 'plan-committed',
        at: now,
        definition: {
          ...plan,
          overage: { microsPerCredit: '3000000', uncovered: 'invoice' },
          commitment: { minimum: '5000' },
        },
        effectiveFrom: null,
      });
      await subscribeToVersion2('s3');
      const first = billing();
      try {
        await settle();
        await first.tick();
        // 12.5 credits of overage in the first period: 37.5 cents, invoiced as 38.
        await walletBooked(12n * CREDIT + 500_000n, 0n, 12n * CREDIT + 500_000n, 5n);
        now = new Date('2027-03-01T00:00:00Z');
        await first.tick();
      } finally {
        await first.onModuleDestroy();
      }
      const trueUp = await new Invoices(store).get(trueUpInvoiceId('s3', 0));
      expect(trueUp).toMatchObject({
        status: 'finalized',
        source: { type: 'subscription-true-up', subscriptionId: 's3', period: 0 },
        lines: [expect.objectContaining({ lineId: 'true-up', net: 5000n - 2900n - 38n })],
      });
      // Walked again after a restart: the same true-up, no second one.
      const second = billing();
      try {
        await settle();
        await second.tick();
      } finally {
        await second.onModuleDestroy();
      }
      expect(await new Invoices(store).get(trueUpInvoiceId('s3', 0))).toEqual(trueUp);
      expect(await new Invoices(store).get(trueUpInvoiceId('s3', 1))).toMatchObject({
        status: 'none',
      });
    });

    it('invoices what the period booked at the plan’s price, settles it on the wallet, and starts the next period from there', async () => {
      await publishOveragePlan('invoice');
      await subscribeToVersion2('s2');
      const process = billing();
      try {
        await settle();
        await process.tick();
        // 12.5 credits booked in the first period, 2 of them beyond the policy.
        await walletBooked(12n * CREDIT + 500_000n, 2n * CREDIT, 12n * CREDIT + 500_000n, 5n);
        now = new Date('2027-03-01T00:00:00Z');
        await process.tick();
        await process.tick();
      } finally {
        await process.onModuleDestroy();
      }
      // Restarted long after: the ended period is walked again, and not settled again (the
      // wallet would have forgotten the command id by then).
      now = new Date('2027-06-01T00:00:00Z');
      const restarted = billing();
      try {
        await settle();
        await restarted.tick();
      } finally {
        await restarted.onModuleDestroy();
      }
      const invoice = await new Invoices(store).get(overageInvoiceId('s2', 0));
      expect(invoice).toMatchObject({
        status: 'finalized',
        source: { type: 'subscription-overage', subscriptionId: 's2', period: 0 },
        lines: [{ lineId: 'overage', quantity: 1n, unitPrice: 38n, credits: 0n }],
      });
      // 12.5 × 3 cents = 37.5, rounded half up once.
      expect(settlements()).toEqual([
        expect.objectContaining({
          settlementId: overageInvoiceId('s2', 0),
          amount: '12500000',
          outcome: 'invoiced',
        }),
      ]);
      // Nothing booked after the first period: the later ones settle nothing.
      expect((await readStore.get(OVERAGE_SETTLEMENTS, 's2.p1'))?.document).toMatchObject({
        invoicedCredits: '0',
        writtenOffCredits: '0',
      });
      expect((await readStore.get(OVERAGE_SETTLEMENTS, 's2.p0'))?.document).toMatchObject({
        bookedThrough: '12500000',
        invoicedCredits: '12500000',
        settledOnWallet: true,
      });
    });

    it('writes off the uncovered part under a write-off plan', async () => {
      await publishOveragePlan('write-off');
      await subscribeToVersion2('s3');
      await walletBooked(10n * CREDIT, 4n * CREDIT, 10n * CREDIT, 9n);
      now = new Date('2027-03-01T00:00:00Z');
      const process = billing();
      try {
        await settle();
        await process.tick();
      } finally {
        await process.onModuleDestroy();
      }
      expect(settlements().map(({ outcome, amount }) => [outcome, amount])).toEqual([
        ['invoiced', '6000000'],
        ['written-off', '4000000'],
      ]);
    });
  });
});
