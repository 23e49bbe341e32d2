import { PGlite, type Transaction } from '@electric-sql/pglite';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What adapters run SQL through: the database itself, or an open transaction. */
export interface Sql {
  query<Row>(sql: string, params?: readonly unknown[]): Promise<{ rows: Row[] }>;
}

export interface EmbeddedDatabaseOptions {
  /** Directory that holds the database; omitted: in memory (tests). */
  readonly dataDir?: string;
}

/**
 * One PGlite (Postgres compiled to WASM) per data directory, shared by the embedded event store,
 * read store and bus. PGlite runs one statement at a time, so transactions never interleave and
 * global positions commit in order. A pid lock file keeps a second process out: two writers on one
 * directory corrupt it.
 */
export class EmbeddedDatabase implements Sql {
  private constructor(
    private readonly db: PGlite,
    private readonly lockFile: string | undefined,
  ) {}

  static async open(options: EmbeddedDatabaseOptions = {}): Promise<EmbeddedDatabase> {
    if (options.dataDir === undefined) return new EmbeddedDatabase(await PGlite.create(), undefined);
    mkdirSync(options.dataDir, { recursive: true });
    const lockFile = join(options.dataDir, 'burndown.lock');
    takeLock(lockFile);
    try {
      const db = await PGlite.create({ dataDir: join(options.dataDir, 'pg') });
      return new EmbeddedDatabase(db, lockFile);
    } catch (error) {
      rmSync(lockFile, { force: true });
      throw new Error(`cannot open embedded database in ${options.dataDir}: ${String(error)}`, {
        cause: error,
      });
    }
  }

  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<{ rows: Row[] }> {
    const result = await this.db.query<Row>(sql, params as unknown[]);
    return { rows: result.rows };
  }

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  async transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    return this.db.transaction((tx: Transaction) =>
      work({
        query: async <Row>(sql: string, params: readonly unknown[] = []) => {
          const result = await tx.query<Row>(sql, params as unknown[]);
          return { rows: result.rows };
        },
      }),
    );
  }

  async close(): Promise<void> {
    if (this.db.closed) return;
    await this.db.close();
    if (this.lockFile) rmSync(this.lockFile, { force: true });
  }
}

function takeLock(lockFile: string): void {
  const holder = readLockHolder(lockFile);
  if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
    throw new Error(
      `data directory is in use by process ${holder} (${lockFile}); stop it or choose another BURNDOWN_DATA_DIR`,
    );
  }
  writeFileSync(lockFile, String(process.pid));
}

function readLockHolder(lockFile: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/** A killed process stays signalable until its parent reaps it; it holds nothing any more. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}
