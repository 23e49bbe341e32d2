import { EmbeddedDatabase, SqliteEventStore } from '@burndown/embedded';
import type { EventStore, RecordedEvent } from '@burndown/ports';
import { foldRecorded } from '@burndown/runtime';
import { CommandLog } from '@burndown/decider-kit';
import {
  encodeWalletState,
  walletDecider,
  walletEventCodec,
  type WalletState,
} from '@burndown/wallet-domain';
import { CountingStore } from './test-support/counting-store';
import { HISTORY_AT, writeWalletHistory } from './test-support/wallet-history';
import { WalletCommands } from './wallet-commands.service';
import { WalletStateTracker } from './wallet-state-tracker';
import { walletStreamName } from './wallet-stream';

describe('wallet state tracker: the wallet after each event, folded once', () => {
  let database: EmbeddedDatabase;
  let store: EventStore;
  let alpha: readonly RecordedEvent[];

  beforeAll(async () => {
    database = await EmbeddedDatabase.open();
    store = await SqliteEventStore.create(database);
    await writeWalletHistory(new WalletCommands(store));
    alpha = await store.readStream(walletStreamName('alpha'));
  });
  afterAll(() => database?.close());

  /** Everything but the seen command ids, which the tracker's states (never deciding) do not keep. */
  const comparable = (state: WalletState) =>
    encodeWalletState(state.status === 'open' ? { ...state, commands: CommandLog.empty() } : state);
  /** The wallet after `event` by reading and folding its stream from the start: what every answer must equal. */
  const foldedUpTo = (event: RecordedEvent) =>
    comparable(
      foldRecorded(alpha.slice(0, Number(event.revision) + 1), walletDecider, walletEventCodec),
    );
  const walk = async (tracker: WalletStateTracker, events: readonly RecordedEvent[]) => {
    for (const event of events)
      expect(comparable((await tracker.after(event)).state)).toEqual(foldedUpTo(event));
  };

  it('walks a stream from its first event without reading it', async () => {
    const counting = new CountingStore(store);
    await walk(new WalletStateTracker(counting.asStore()), alpha);
    expect(alpha.length).toBe(6);
    expect(counting.walletReads).toBe(0);
  });

  it('evolves states that cannot decide: they refuse to tell which commands were seen', async () => {
    const tracker = new WalletStateTracker(store);
    let last: WalletState | undefined;
    for (const event of alpha) last = (await tracker.after(event)).state;
    expect(last?.status).toBe('open');
    expect(() => last?.status === 'open' && last.commands.has('any')).toThrow('must not decide');
  });

  it('reads the stream once when it starts in the middle, then evolves', async () => {
    const counting = new CountingStore(store);
    await walk(new WalletStateTracker(counting.asStore()), alpha.slice(3));
    expect(counting.walletReads).toBe(1);
    expect(counting.walletEventsRead).toBe(4);
  });

  it('reads the stream again when a walk repeats events it has passed, instead of evolving a later state', async () => {
    const counting = new CountingStore(store);
    const tracker = new WalletStateTracker(counting.asStore());
    await walk(tracker, alpha);
    await walk(tracker, alpha.slice(2));
    expect(counting.walletReads).toBe(1);
  });

  it("takes the state the wallet's writer holds at the event's revision, and folds when it holds another", async () => {
    const own = await EmbeddedDatabase.open();
    try {
      const ownStore = await SqliteEventStore.create(own);
      const wallets = new WalletCommands(ownStore);
      const at = HISTORY_AT;
      await wallets.execute(
        'gamma',
        {
          type: 'OpenWallet',
          commandId: 'open',
          at,
          walletId: 'gamma',
          customerId: 'gamma',
          name: 'Gamma',
        },
        {},
      );
      const granted = await wallets.execute(
        'gamma',
        { type: 'GrantCredits', commandId: 'g', at, grantId: 'g', kind: 'purchased', amount: 5n },
        {},
      );
      const [opened, grant] = await ownStore.readStream(walletStreamName('gamma'));
      if (opened === undefined || grant === undefined) throw new Error('gamma has two events');

      const tracker = new WalletStateTracker(ownStore, (walletId) => wallets.cached(walletId));
      // The writer has moved on to revision 1: the state after revision 0 is folded here.
      expect(wallets.cached('gamma')?.revision).toBe(1n);
      const afterOpen = (await tracker.after(opened)).state;
      expect(afterOpen.status).toBe('open');
      expect(afterOpen).not.toBe(granted.state);
      // At revision 1 the writer's own object, not a fold of it.
      expect((await tracker.after(grant)).state).toBe(granted.state);
    } finally {
      await own.close();
    }
  });
});
