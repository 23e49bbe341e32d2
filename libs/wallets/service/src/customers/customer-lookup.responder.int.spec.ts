import {
  EmbeddedBus,
  EmbeddedDatabase,
  SqliteEventStore,
  SqliteReadStore,
} from '@burndown/embedded';
import { requests } from '@burndown/ports';
import { BALANCE_COLLECTION } from '../ledger/ledger-entry';
import { CountingStore } from '../test-support/counting-store';
import { WalletCommands } from '../wallet-commands.service';
import { CustomerLookupResponder } from './customer-lookup.responder';

describe('CustomerLookupResponder', () => {
  let database: EmbeddedDatabase;
  let bus: EmbeddedBus;
  let readStore: SqliteReadStore;
  let counting: CountingStore;
  let responder: CustomerLookupResponder;
  const at = new Date('2026-11-01T00:00:00Z');

  beforeAll(async () => {
    database = await EmbeddedDatabase.open();
    bus = await EmbeddedBus.create(database);
    readStore = await SqliteReadStore.create(database);
    counting = new CountingStore(await SqliteEventStore.create(database));
    const wallets = new WalletCommands(counting.asStore(), { snapshotEvery: 500 });
    await wallets.execute(
      'fresh',
      {
        type: 'OpenWallet',
        commandId: 'open',
        at,
        walletId: 'fresh',
        customerId: 'fresh',
        name: 'Fresh',
      },
      {},
    );
    await readStore.apply({
      writes: [
        {
          collection: BALANCE_COLLECTION,
          id: 'projected',
          version: 0n,
          document: { walletId: 'projected' },
        },
      ],
    });
    responder = new CustomerLookupResponder(bus, readStore, wallets);
    await responder.onApplicationBootstrap();
  });

  afterAll(async () => {
    await responder.onModuleDestroy();
    await bus.close();
    await database.close();
  });

  const lookup = (customerId: string) =>
    bus.request(requests.customerLookup, { customerId }, { timeoutMs: 1_000 });

  it('finds a customer created a moment ago (in its writer) and one only the read model knows, and no other, reading no wallet stream', async () => {
    const readsBefore = counting.walletReads;
    expect(await lookup('fresh')).toEqual({ exists: true, walletId: 'fresh' });
    expect(await lookup('projected')).toEqual({ exists: true, walletId: 'projected' });
    expect(await lookup('nobody')).toEqual({ exists: false });
    expect(counting.walletReads).toBe(readsBefore);
  });
});
