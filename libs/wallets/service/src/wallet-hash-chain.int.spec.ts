import { EmbeddedDatabase, SqliteEventStore } from '@burndown/embedded';
import { WALLET_EVENT_SCHEMA_VERSION } from '@burndown/wallet-domain';
import { WalletCommands } from './wallet-commands.service';
import { walletStreamName } from './wallet-stream';

// The hash chain as stored: appended through the stream writer, tampered with in the database.
describe('wallet stream hash chain on the embedded event store', () => {
  let database: EmbeddedDatabase;
  let wallets: WalletCommands;
  const at = new Date('2026-11-01T00:00:00Z');

  beforeAll(async () => {
    database = await EmbeddedDatabase.open();
    wallets = new WalletCommands(await SqliteEventStore.create(database));
  });
  afterAll(() => database?.close());

  async function walletWithHistory(walletId: string): Promise<void> {
    await wallets.execute(
      walletId,
      {
        type: 'OpenWallet',
        commandId: `${walletId}-open`,
        at,
        walletId,
        customerId: walletId,
        name: walletId,
      },
      {},
    );
    await wallets.execute(
      walletId,
      {
        type: 'GrantCredits',
        commandId: `${walletId}-g1`,
        at,
        grantId: 'g1',
        kind: 'purchased',
        amount: 5_000n,
      },
      {},
    );
    for (const n of [1, 2, 3]) {
      await wallets.execute(
        walletId,
        {
          type: 'DebitUsage',
          commandId: `${walletId}-u${n}`,
          at,
          usageEventId: `u${n}`,
          feature: 'llm.tokens',
          amount: 100n,
        },
        {},
      );
    }
  }

  it('verifies a wallet written through the stream writer', async () => {
    await walletWithHistory('intact');
    const verdict = await wallets.verify('intact');
    expect(verdict).toMatchObject({ ok: true, events: 5 });
    const stored = database.all<{ metadata: string }>(
      'SELECT metadata FROM es_events WHERE stream_name = ?',
      [walletStreamName('intact')],
    );
    expect(
      stored.map((row) => (JSON.parse(row.metadata) as { schemaVersion: number }).schemaVersion),
    ).toEqual(Array(5).fill(WALLET_EVENT_SCHEMA_VERSION));
  });

  it('detects an amount edited in the database', async () => {
    await walletWithHistory('edited');
    database.run(
      `UPDATE es_events SET data = json_set(data, '$.amount', '1') WHERE stream_name = ? AND revision = 3`,
      [walletStreamName('edited')],
    );
    expect(await wallets.verify('edited')).toMatchObject({
      ok: false,
      revision: 3n,
      reason: 'hash does not match the event',
    });
  });

  it('detects an event deleted from the middle of the stream', async () => {
    await walletWithHistory('pruned');
    database.run('DELETE FROM es_events WHERE stream_name = ? AND revision = 2', [
      walletStreamName('pruned'),
    ]);
    expect(await wallets.verify('pruned')).toMatchObject({ ok: false, revision: 3n });
  });
});
