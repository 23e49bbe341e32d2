import { EmbeddedDatabase, SqliteEventStore } from '@burndown/embedded';
import type { JsonValue, MessageBus } from '@burndown/ports';
import { Invoices } from '../invoices/invoices';
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
  });
});
