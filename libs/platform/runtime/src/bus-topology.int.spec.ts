import { EmbeddedBus, EmbeddedDatabase } from '@burndown/embedded';
import { NatsBus } from '@burndown/nats';
import { consumerConfigs, type BusMessage, type MessageBus } from '@burndown/ports';
import { ensureBusTopology } from './bus-topology';

const url = process.env['BURNDOWN_NATS_URL'] ?? 'nats://127.0.0.1:4222';
const WINDOW_MS = 60_000;

interface Opened {
  readonly bus: MessageBus;
  close(): Promise<void>;
}

const buses: readonly (readonly [string, () => Promise<Opened>])[] = [
  [
    'embedded bus',
    async () => {
      const database = await EmbeddedDatabase.open();
      const bus = await EmbeddedBus.create(database);
      return {
        bus,
        close: async () => {
          await bus.close();
          await database.close();
        },
      };
    },
  ],
  [
    'NATS',
    async () => {
      const namespace = `topology_${process.pid}_${Date.now()}`;
      const bus = await NatsBus.connect({ url, namespace });
      return {
        bus,
        close: async () => {
          await bus.close();
          await NatsBus.removeNamespace(url, namespace);
        },
      };
    },
  ],
];

// An installation from before WALLET_BALANCES: one stream took every wallet subject.
describe.each(buses)('ensureBusTopology over an older topology (%s)', (_name, open) => {
  let opened: Opened;
  beforeEach(async () => {
    opened = await open();
  });
  afterEach(() => opened.close());

  it('moves balance summaries to WALLET_BALANCES, copying the stored ones once', async () => {
    const { bus } = opened;
    await bus.ensureStream({
      name: 'WALLET_EVENTS',
      subjects: ['wallet.>'],
      duplicateWindowMs: WINDOW_MS,
    });
    await bus.publish('wallet.debited.w1', { n: 1 }, { msgId: 'debited-1' });
    await bus.publish('wallet.balance-changed.w1', { revision: '1' }, { msgId: 'bc-1' });
    await bus.publish('wallet.balance-changed.w2', { revision: '4' }, { msgId: 'bc-2' });

    await ensureBusTopology(bus, WINDOW_MS);
    await ensureBusTopology(bus, WINDOW_MS);
    const fresh = await bus.publish(
      'wallet.balance-changed.w1',
      { revision: '2' },
      { msgId: 'bc-3' },
    );

    expect(fresh.stream).toBe('WALLET_BALANCES');
    const balances = await bus.browse('WALLET_BALANCES', { limit: 10 });
    expect(balances.map(({ msgId, subject }: BusMessage) => [msgId, subject])).toEqual([
      ['bc-1', 'wallet.balance-changed.w1'],
      ['bc-2', 'wallet.balance-changed.w2'],
      ['bc-3', 'wallet.balance-changed.w1'],
    ]);
    expect(balances[1]?.payload).toEqual({ revision: '4' });
    expect((await bus.publish('wallet.debited.w1', { n: 2 }, { msgId: 'debited-2' })).stream).toBe(
      'WALLET_EVENTS',
    );
    expect(consumerConfigs.entitlementsBalances.stream).toBe('WALLET_BALANCES');
  });
});
