import { EmbeddedDatabase, SqliteEventStore } from '@burndown/embedded';
import type { EventStore } from '@burndown/ports';
import { foldRecorded, snapshotStreamName } from '@burndown/runtime';
import {
  encodeWalletState,
  walletDecider,
  walletEventCodec,
  type WalletCommand,
} from '@burndown/wallet-domain';
import { WalletCommands } from './wallet-commands.service';
import { walletStreamName } from './wallet-stream';
import { CountingStore } from './test-support/counting-store';

describe('wallet snapshots on the embedded event store', () => {
  let database: EmbeddedDatabase;
  let store: EventStore;
  const at = new Date('2026-11-01T00:00:00Z');
  const every = 10;

  beforeAll(async () => {
    database = await EmbeddedDatabase.open();
    store = await SqliteEventStore.create(database);
  });
  afterAll(() => database?.close());

  async function walletWithDebits(walletId: string, debits: number): Promise<WalletCommands> {
    const wallets = new WalletCommands(store, { snapshotEvery: every });
    const run = (command: WalletCommand) => wallets.execute(walletId, command, {});
    await run({
      type: 'OpenWallet',
      commandId: 'open',
      at,
      walletId,
      customerId: walletId,
      name: walletId,
    });
    await run({
      type: 'GrantCredits',
      commandId: 'g1',
      at,
      grantId: 'g1',
      kind: 'purchased',
      amount: 1_000_000n,
    });
    for (let n = 0; n < debits; n++) {
      await run({
        type: 'DebitUsage',
        commandId: `u${n}`,
        at,
        usageEventId: `u${n}`,
        feature: 'llm.tokens',
        amount: 100n + BigInt(n),
      });
    }
    return wallets;
  }

  const fullFold = async (walletId: string) =>
    encodeWalletState(
      foldRecorded(
        await store.readStream(walletStreamName(walletId)),
        walletDecider,
        walletEventCodec,
      ),
    );

  it(`writes a snapshot every ${every} events, or half as many as its live command ids, and loads from the latest one plus the events after it`, async () => {
    await walletWithDebits('busy', 45);
    const snapshots = await store.readStream(snapshotStreamName(walletStreamName('busy')));
    // At 29 the wallet has 30 live command ids, so the next snapshot waits for 15 events, then 20 at 39.
    expect(snapshots.map((snapshot) => snapshot.data['revision'])).toEqual(['9', '19', '39']);
    expect(
      snapshots.map(
        (snapshot) => (snapshot.data['state'] as { commandIds: string[] }).commandIds.length,
      ),
    ).toEqual([10, 20, 40]);

    const counting = new CountingStore(store);
    const loaded = await new WalletCommands(counting.asStore(), { snapshotEvery: every }).load(
      'busy',
    );
    expect(loaded.revision).toBe(46n);
    // The snapshot's own event (to prove the stream still holds it) and the 7 after it.
    expect(counting.walletEventsRead).toBe(8);
    expect(encodeWalletState(loaded.state)).toEqual(await fullFold('busy'));
  });

  it('keeps deciding correctly across snapshots: a repeated command id is still recognised', async () => {
    const wallets = await walletWithDebits('repeat', 25);
    const repeated = await wallets.execute(
      'repeat',
      {
        type: 'DebitUsage',
        commandId: 'u3',
        at,
        usageEventId: 'u3',
        feature: 'llm.tokens',
        amount: 103n,
      },
      {},
    );
    expect(repeated.events).toEqual([]);
    expect((await wallets.verify('repeat')).ok).toBe(true);
  });

  it('replays the whole stream when the snapshot is damaged or of another version, and still gets it right', async () => {
    await walletWithDebits('damaged', 15);
    const expected = await fullFold('damaged');
    const snapshotStream = snapshotStreamName(walletStreamName('damaged'));
    database.run(
      `UPDATE es_events SET data = json_set(data, '$.state.overage', 'lots') WHERE stream_name = ?`,
      [snapshotStream],
    );
    const counting = new CountingStore(store);
    const wallets = new WalletCommands(counting.asStore(), { snapshotEvery: every });
    expect(encodeWalletState((await wallets.load('damaged')).state)).toEqual(expected);
    expect(counting.walletEventsRead).toBe(17);

    database.run(
      `UPDATE es_events SET data = json_set(data, '$.version', 999) WHERE stream_name = ?`,
      [snapshotStream],
    );
    expect(
      encodeWalletState(
        (await new WalletCommands(store, { snapshotEvery: every }).load('damaged')).state,
      ),
    ).toEqual(expected);
  });
});
