import { mkdirSync, writeFileSync } from 'node:fs';
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
});
