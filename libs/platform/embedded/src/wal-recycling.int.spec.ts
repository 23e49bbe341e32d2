import { statSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_FILE, EmbeddedDatabase } from './embedded-database';
import { temporaryDataDirEachTest } from './test-support/temporary-data-dir';

describe('the write-ahead log under constant writing', () => {
  const dataDir = temporaryDataDirEachTest('burndown-wal-');

  it('starts again from its beginning instead of growing by everything written', async () => {
    const db = await EmbeddedDatabase.open({ dataDir: dataDir(), sync: 'normal' });
    db.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const body = 'x'.repeat(64 * 1024);
    let writtenBytes = 0;
    const until = Date.now() + 3_000;
    while (Date.now() < until) {
      // 16 rows of 64 KiB a commit, about every 10 ms: ~100 MB/s offered, with turns for the checkpoints.
      await db.write(() => {
        for (let row = 0; row < 16; row++) db.run('INSERT INTO blobs (body) VALUES (?)', [body]);
      });
      writtenBytes += 16 * body.length;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const walBytes = statSync(join(dataDir(), `${DATABASE_FILE}-wal`)).size;
    await db.close();
    expect(writtenBytes).toBeGreaterThan(50_000_000);
    expect(walBytes).toBeLessThan(writtenBytes / 4);
  }, 20_000);
});
