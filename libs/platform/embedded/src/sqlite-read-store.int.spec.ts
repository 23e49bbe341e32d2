import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeReadStoreContract } from '@burndown/contracts';
import { EmbeddedDatabase } from './embedded-database';
import { MAX_PAGE_SIZE, SqliteReadStore } from './sqlite-read-store';

describeReadStoreContract('SqliteReadStore (in memory)', async () => {
  const database = await EmbeddedDatabase.open();
  const store = await SqliteReadStore.create(database);
  return {
    adapter: store,
    teardown: async () => {
      await store.close();
      await database.close();
    },
  };
});

describe('SqliteReadStore', () => {
  let database: EmbeddedDatabase;
  let store: SqliteReadStore;

  beforeAll(async () => {
    database = await EmbeddedDatabase.open();
    store = await SqliteReadStore.create(database);
  });

  afterAll(async () => {
    await database.close();
  });

  it('can be created twice on one database (the schema step is idempotent)', async () => {
    await store.apply({ writes: [{ collection: 'twice', id: 'a', version: 1n, document: {} }] });
    const second = await SqliteReadStore.create(database);
    expect((await second.get('twice', 'a'))?.version).toBe(1n);
  });

  it('serves at most MAX_PAGE_SIZE items per page', async () => {
    const writes = Array.from({ length: MAX_PAGE_SIZE + 5 }, (_, i) => ({
      collection: 'big',
      id: `id-${String(i).padStart(5, '0')}`,
      version: 1n,
      document: { i },
    }));
    await store.apply({ writes });
    const page = await store.find('big', { limit: MAX_PAGE_SIZE * 10 });
    expect(page.items).toHaveLength(MAX_PAGE_SIZE);
    expect(page.nextCursor).toBeDefined();
  });

  it('refuses a malformed cursor and a limit that is not a positive integer', async () => {
    await expect(store.find('big', { limit: 10, after: 'not-a-cursor' })).rejects.toThrow(
      RangeError,
    );
    await expect(store.find('big', { limit: 0 })).rejects.toThrow(RangeError);
    await expect(store.find('big', { limit: 2.5 })).rejects.toThrow(RangeError);
  });

  it('applies nothing of a batch that fails part-way', async () => {
    // A version SQLite cannot bind makes the second write fail inside the transaction.
    const batch = {
      writes: [
        { collection: 'atomic', id: 'good', version: 1n, document: { ok: true } },
        {
          collection: 'atomic',
          id: 'bad',
          version: { not: 'a version' } as unknown as bigint,
          document: {},
        },
      ],
      checkpoint: { name: 'atomic', position: 5n },
    };
    await expect(store.apply(batch)).rejects.toThrow();
    expect(await store.get('atomic', 'good')).toBeUndefined();
    expect(await store.checkpoint('atomic')).toBeUndefined();
  });

  it('refuses calls after close()', async () => {
    const closing = await SqliteReadStore.create(database);
    await closing.close();
    await expect(closing.get('twice', 'a')).rejects.toThrow('closed');
  });

  it('keeps documents and checkpoints across a restart on disk', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'burndown-read-store-'));
    try {
      const first = await EmbeddedDatabase.open({ dataDir });
      const before = await SqliteReadStore.create(first);
      await before.apply({
        writes: [{ collection: 'durable', id: 'x', version: 3n, document: { kept: true } }],
        checkpoint: { name: 'durable', position: 12n },
      });
      await first.close();

      const second = await EmbeddedDatabase.open({ dataDir });
      const after = await SqliteReadStore.create(second);
      expect(await after.get('durable', 'x')).toEqual({
        id: 'x',
        version: 3n,
        document: { kept: true },
      });
      expect(await after.checkpoint('durable')).toBe(12n);
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('moves the documents of a data directory written before rm_documents became a rowid table', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'burndown-rm-move-'));
    try {
      const old = await EmbeddedDatabase.open({ dataDir });
      old.exec(`CREATE TABLE rm_documents (collection TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,
                document TEXT NOT NULL, PRIMARY KEY (collection, id)) WITHOUT ROWID;
                INSERT INTO rm_documents VALUES ('wallet_balances', 'w-1', 7, '{"balance":"120"}'),
                                                ('wallet_balances', 'w-2', 3, '{"balance":"5"}');`);
      await old.close();
      const reopened = await EmbeddedDatabase.open({ dataDir });
      const moved = await SqliteReadStore.create(reopened);
      const table = reopened.get<{ sql: string }>(
        "SELECT sql FROM sqlite_schema WHERE name = 'rm_documents'",
      );
      expect(table?.sql).not.toMatch(/WITHOUT ROWID/i);
      expect(await moved.get('wallet_balances', 'w-1')).toEqual({
        id: 'w-1',
        version: 7n,
        document: { balance: '120' },
      });
      await moved.declareIndexes('wallet_balances', [['balance']]);
      const page = await moved.find('wallet_balances', { limit: 10, where: { balance: '5' } });
      expect(page.items.map((item) => item.id)).toEqual(['w-2']);
      // Still one document per key: the unique index keeps upserts upserts.
      await moved.apply({
        writes: [
          { collection: 'wallet_balances', id: 'w-1', version: 8n, document: { balance: '100' } },
        ],
      });
      expect(
        reopened.all(
          "SELECT id FROM rm_documents WHERE collection = 'wallet_balances' ORDER BY id",
        ),
      ).toEqual([{ id: 'w-1' }, { id: 'w-2' }]);
      await reopened.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
