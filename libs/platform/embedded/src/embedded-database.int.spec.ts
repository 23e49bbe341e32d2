import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmbeddedDatabase } from './embedded-database';
import { temporaryDataDirEachTest } from './test-support/temporary-data-dir';

describe('EmbeddedDatabase', () => {
  const dataDir = temporaryDataDirEachTest('burndown-db-');

  it('refuses a data directory written by the PGlite store, saying what to do', async () => {
    mkdirSync(join(dataDir(), 'pg'));
    writeFileSync(join(dataDir(), 'pg', 'PG_VERSION'), '17\n');
    await expect(EmbeddedDatabase.open({ dataDir: dataDir() })).rejects.toThrow(
      /holds a PGlite database.*Start with an empty BURNDOWN_DATA_DIR/,
    );
  });

  it('opens in write-ahead-log mode with the sync mode asked for (full by default)', async () => {
    const full = await EmbeddedDatabase.open({ dataDir: dataDir() });
    expect(full.get<{ journal_mode: string }>('PRAGMA journal_mode')?.journal_mode).toBe('wal');
    expect(full.syncMode).toBe('full');
    full.exec('CREATE TABLE synced (n INTEGER)');
    // Acknowledged only after the log's fsync: the write resolves, and what it wrote is there.
    await full.write(() => full.run('INSERT INTO synced (n) VALUES (1)'));
    expect(full.all('SELECT n FROM synced')).toEqual([{ n: 1 }]);
    await full.close();
    for (const sync of ['normal', 'off'] as const) {
      const other = await EmbeddedDatabase.open({ dataDir: dataDir(), sync });
      expect(other.syncMode).toBe(sync);
      await other.close();
    }
  });

  it('keeps a second process out of the directory while one holds it', async () => {
    const held = await EmbeddedDatabase.open({ dataDir: dataDir() });
    // The parent of this process is alive and is not this process: as if it held the lock.
    writeFileSync(join(dataDir(), 'burndown.lock'), String(process.ppid));
    await expect(EmbeddedDatabase.open({ dataDir: dataDir() })).rejects.toThrow(
      `in use by process ${process.ppid}`,
    );
    writeFileSync(join(dataDir(), 'burndown.lock'), String(process.pid));
    await held.close();
  });

  it('commits what was written before close() and refuses calls after it', async () => {
    const db = await EmbeddedDatabase.open({ dataDir: dataDir() });
    db.exec('CREATE TABLE kept (n INTEGER)');
    const written = db.write(() => db.run('INSERT INTO kept (n) VALUES (1)'));
    await db.close();
    await written;
    expect(() => db.all('SELECT n FROM kept')).toThrow('closed');
    const reopened = await EmbeddedDatabase.open({ dataDir: dataDir() });
    expect(reopened.all<{ n: number }>('SELECT n FROM kept')).toEqual([{ n: 1 }]);
    await reopened.close();
  });

  it('shares its file with a joined connection: commits take turns, both see both, notices cross', async () => {
    const opener = await EmbeddedDatabase.open({ dataDir: dataDir() });
    opener.exec('CREATE TABLE turns (writer TEXT NOT NULL, n INTEGER NOT NULL)');
    const shared = opener.share();
    expect(shared.sync).toBe('full');
    // As a service thread would: its own connection to the same file, the same commit lock.
    const joined = EmbeddedDatabase.join(shared);
    let heard = 0;
    opener.notices.listen('turns:written', () => heard++);
    const writes = Array.from({ length: 200 }, (_, n) => {
      const db = n % 2 === 0 ? opener : joined;
      return db.write(() => {
        db.run('INSERT INTO turns (writer, n) VALUES (?, ?)', [
          db === opener ? 'opener' : 'joined',
          n,
        ]);
        return n;
      });
    });
    // Never SQLITE_BUSY: the two connections' group commits never overlap.
    expect(await Promise.all(writes)).toEqual(Array.from({ length: 200 }, (_, n) => n));
    joined.notices.announce('turns:written');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(heard).toBe(1);
    const count = 'SELECT writer, count(*) AS rows FROM turns GROUP BY writer ORDER BY writer';
    expect(opener.all(count)).toEqual([
      { writer: 'joined', rows: 100 },
      { writer: 'opener', rows: 100 },
    ]);
    expect(joined.all(count)).toEqual(opener.all(count));
    await joined.close();
    // The joined connection leaves the directory's lock to the one that took it.
    expect(existsSync(join(dataDir(), 'burndown.lock'))).toBe(true);
    await opener.close();
  });

  it('refuses to share a database that lives in memory', async () => {
    const memory = await EmbeddedDatabase.open();
    expect(() => memory.share()).toThrow('in-memory');
    await memory.close();
  });
});
