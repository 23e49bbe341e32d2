import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EmbeddedDatabase } from '@burndown/embedded';

const ROOT = resolve(__dirname, '../..');

/**
 * An empty PGlite cluster on disk, made once per PGlite version and machine. A fresh in-memory
 * PGlite runs initdb, 4–7 s of CPU on a 2-core machine; a copy of this opens in about one, which
 * is what lets five services start for every suite.
 */
export async function pgliteTemplate(): Promise<string> {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string };
  const template = join(tmpdir(), `burndown-e2e-pglite-${version}`);
  if (existsSync(template)) return template;
  const scratch = mkdtempSync(join(tmpdir(), 'burndown-e2e-pglite-'));
  try {
    const database = await EmbeddedDatabase.open({ dataDir: scratch });
    await database.close();
    renameSync(join(scratch, 'pg'), template);
  } catch (error) {
    // Another jest worker made it first: theirs is as good as ours.
    if (!existsSync(template)) throw error;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return template;
}
