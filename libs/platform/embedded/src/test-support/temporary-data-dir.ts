import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh data directory for each test of the enclosing describe, removed after it. */
export function temporaryDataDirEachTest(prefix: string): () => string {
  let dataDir: string | undefined;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(() => {
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });
  return () => {
    if (dataDir === undefined) throw new Error('the data directory exists only while a test runs');
    return dataDir;
  };
}
