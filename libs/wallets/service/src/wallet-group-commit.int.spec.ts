import { EmbeddedDatabase, SqliteEventStore } from '@burndown/embedded';
import type { EventStore } from '@burndown/ports';
import {
  WalletCommandRejected,
  balanceOf,
  type WalletCommand,
  type WalletState,
} from '@burndown/wallet-domain';
import { WalletCommands } from './wallet-commands.service';
import { walletStreamName } from './wallet-stream';
import { CountingStore } from './test-support/counting-store';

const balance = (state: WalletState): bigint => {
  if (state.status !== 'open') throw new Error(`wallet is ${state.status}`);
  return balanceOf(state);
};

describe('wallet writer: group commit and cache', () => {
  let database: EmbeddedDatabase;
  let store: EventStore;
  const at = new Date('2026-11-01T00:00:00Z');
  const debit = (usageEventId: string, amount: bigint): WalletCommand => ({
    type: 'DebitUsage',
    commandId: `usage:${usageEventId}`,
    at,
    usageEventId,
    feature: 'llm.tokens',
    amount,
  });

  beforeAll(async () => {
    database = await EmbeddedDatabase.open();
    store = await SqliteEventStore.create(database);
  });
  afterAll(() => database?.close());

  async function openWallet(
    wallets: WalletCommands,
    walletId: string,
    credits: bigint,
  ): Promise<void> {
    await wallets.execute(
      walletId,
      { type: 'OpenWallet', commandId: 'open', at, walletId, customerId: walletId, name: walletId },
      {},
    );
    await wallets.execute(
      walletId,
      {
        type: 'GrantCredits',
        commandId: 'g1',
        at,
        grantId: 'g1',
        kind: 'purchased',
        amount: credits,
      },
      {},
    );
  }

  it('appends debits that arrive together as a few writes, each once, in order, on an intact chain', async () => {
    const counting = new CountingStore(store);
    const wallets = new WalletCommands(counting.asStore(), { snapshotEvery: 50 });
    await openWallet(wallets, 'grouped', 1_000_000n);
    const appendsBefore = counting.walletAppends;

    const outcomes = await Promise.all(
      Array.from({ length: 300 }, (_, n) =>
        wallets.execute('grouped', debit(`u${n}`, BigInt(n + 1)), {}),
      ),
    );

    expect(counting.walletAppends - appendsBefore).toBeLessThan(30);
    const revisions = outcomes.map((outcome) => outcome.revision);
    expect(new Set(revisions).size).toBe(300);
    expect(revisions).toEqual([...revisions].sort((a, b) => Number((a ?? 0n) - (b ?? 0n))));
    const stream = await store.readStream(walletStreamName('grouped'));
    const debited = stream
      .filter((event) => event.type === 'UsageDebited')
      .map((event) => event.data['usageEventId']);
    expect(debited).toEqual(Array.from({ length: 300 }, (_, n) => `u${n}`));
    expect((await wallets.verify('grouped')).ok).toBe(true);
    const { state } = await new WalletCommands(store, { snapshotEvery: 50 }).load('grouped');
    expect(balance(state)).toBe(1_000_000n - (300n * 301n) / 2n);
  });

  it('burns a usage event once when its copies arrive in the same group', async () => {
    const wallets = new WalletCommands(store, { snapshotEvery: 50 });
    await openWallet(wallets, 'copies', 1_000n);
    const outcomes = await Promise.all(
      [debit('same', 10n), debit('same', 10n), debit('other', 5n), debit('same', 10n)].map(
        (command) => wallets.execute('copies', command, {}),
      ),
    );
    expect(outcomes.map((outcome) => outcome.events.length)).toEqual([1, 0, 1, 0]);
    expect(balance((await wallets.load('copies')).state)).toBe(985n);
  });

  it('refuses only the command that is refused, and writes the rest of its group', async () => {
    const wallets = new WalletCommands(store, { snapshotEvery: 50 });
    await openWallet(wallets, 'mixed', 1_000n);
    const settled = await Promise.allSettled(
      [debit('a', 1n), debit('bad', -1n), debit('b', 2n)].map((command) =>
        wallets.execute('mixed', command, {}),
      ),
    );
    expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toBeInstanceOf(WalletCommandRejected);
    expect(balance((await wallets.load('mixed')).state)).toBe(997n);
  });

  it('decides from its cache without reading the stream again', async () => {
    const counting = new CountingStore(store);
    const wallets = new WalletCommands(counting.asStore(), { snapshotEvery: 1_000 });
    await openWallet(wallets, 'cached', 1_000n);
    const readsAfterOpen = counting.walletReads;
    for (let n = 0; n < 20; n++) await wallets.execute('cached', debit(`c${n}`, 1n), {});
    expect(counting.walletReads).toBe(readsAfterOpen);
  });

  it('reloads and decides again when another writer appended behind its cache', async () => {
    const first = new WalletCommands(store, { snapshotEvery: 50 });
    const second = new WalletCommands(store, { snapshotEvery: 50 });
    await openWallet(first, 'shared', 1_000n);
    await first.execute('shared', debit('x1', 100n), {});
    await second.execute('shared', debit('x2', 200n), {});
    // The first writer's cache still says 900; its append fails on the revision and it decides again.
    const outcome = await first.execute('shared', debit('x3', 300n), {});
    expect(balance(outcome.state)).toBe(400n);
    // The copy the other writer applied is recognised too.
    expect((await first.execute('shared', debit('x2', 200n), {})).events).toEqual([]);
    expect((await first.verify('shared')).ok).toBe(true);
  });
});
