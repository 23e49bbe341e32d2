import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { takeLock } from './data-dir-lock';
import { WalCheckpointer } from './wal-checkpointer';
import { DEFAULT_AUTO_CHECKPOINT_PAGES, WalRecycling } from './wal-recycling';
import { WalSync } from './wal-sync';
import { WriteGroups } from './write-groups';
import { CommitLock } from './threads/commit-lock';
import { CommitNotices } from './threads/commit-notices';

/**
 * How hard a commit waits for the disk (SQLite's `synchronous` in WAL mode):
 * - `full` (default): every group commit is fsynced before it is acknowledged (one fsync, off the
 *   main thread, covers all commits made while the last one ran). Survives kill -9, an
 *   operating-system crash and power loss.
 * - `normal`: the write-ahead log is fsynced only at checkpoints. Survives kill -9 of the process
 *   (the OS holds the written pages), but a power loss or kernel crash may lose the last commits.
 * - `off`: never fsynced; for tests and throwaway data only.
 */
export const SYNC_MODES = ['full', 'normal', 'off'] as const;
export type SyncMode = (typeof SYNC_MODES)[number];

export interface EmbeddedDatabaseOptions {
  /** Directory that holds the database; omitted: in memory (tests). */
  readonly dataDir?: string;
  /** The database's file in that directory (DATABASE_FILE unless given). */
  readonly file?: string;
  readonly sync?: SyncMode;
}

/**
 * What another thread of the same process needs to write the same database file beside the
 * thread that opened it (structured-cloneable: it travels in workerData).
 */
export interface SharedDatabase {
  readonly location: string;
  readonly sync: SyncMode;
  /** The commit lock's shared memory (see CommitLock). */
  readonly lockBuffer: SharedArrayBuffer;
  /** The BroadcastChannel its commit notices travel on. */
  readonly noticesChannel: string;
}

export type SqlParam = SQLInputValue;

/** The database file inside a data directory (see DATABASE_FILES for the file of each adapter). */
export const DATABASE_FILE = 'burndown.sqlite';
/**
 * Each embedded adapter keeps a file of its own in the data directory, as the server adapters are
 * three systems: SQLite lets one writer at a time into a file, and the commits of the event store,
 * the read store and the bus (from every thread) then never wait for one another. Measured with
 * everything in one file: the lock was held 54 % of the time and each thread waited for it 14–18 %.
 * Earlier versions kept all three in DATABASE_FILE; the read store and the bus move their tables
 * out of it at start (see moveTablesOut).
 */
export const DATABASE_FILES = {
  eventStore: DATABASE_FILE,
  readStore: 'read-models.sqlite',
  bus: 'bus.sqlite',
} as const;
export type EmbeddedAdapter = keyof typeof DATABASE_FILES;
/** The databases one thread opened, by adapter, for another thread to join. */
export type SharedDatabases = Readonly<Partial<Record<EmbeddedAdapter, SharedDatabase>>>;

/** Where the PGlite store of earlier versions kept its cluster. */
const PGLITE_DIR = 'pg';
/**
 * Least time between two group commits on disk (see WriteGroups): under load a commit then carries
 * a few milliseconds of writes, at the price of at most that much latency. 0, 2 and 10 ms measured
 * within noise of each other on throughput; 2 ms keeps latency low.
 */
const COMMIT_INTERVAL_MS = 2;
/** Page cache per connection, in KiB (negative: KiB for SQLite): bounds the store's memory. */
const CACHE_KIB = 16_384;

/**
 * One SQLite database (node:sqlite, part of the Node 24 runtime) per data directory, shared by the
 * embedded event store, read store and bus. Every call runs synchronously on one connection, so
 * transactions never interleave and global positions commit in order. Writes are grouped: all that
 * arrive in one turn of the event loop commit in one transaction, one fsync for all of them (see
 * WriteGroups). A pid lock file keeps a second process out.
 */
export class EmbeddedDatabase {
  private readonly statements = new Map<string, StatementSync>();
  private readonly bigintStatements = new Map<string, StatementSync>();
  private readonly writes: WriteGroups;
  private readonly recycling: WalRecycling | undefined;
  private readonly commitLock: CommitLock;
  /** Commits of this database, announced to the listeners of this thread and of threads joined. */
  readonly notices = new CommitNotices();
  private closed = false;

  private constructor(
    private readonly db: DatabaseSync,
    private readonly lockFile: string | undefined,
    readonly location: string,
    private readonly walSync: WalSync | undefined,
    onDisk: boolean,
    fsyncCheckpoints: boolean,
    /** Set when this connection joined a database another thread opened (and keeps bounded). */
    private readonly joined?: SharedDatabase,
  ) {
    this.commitLock = new CommitLock(joined?.lockBuffer);
    if (joined !== undefined) this.notices.connect(joined.noticesChannel);
    // Prepared once: a savepoint per write must cost next to nothing.
    const [begin, commit, rollback, savepoint, release, rollbackTo] = [
      'BEGIN IMMEDIATE',
      'COMMIT',
      'ROLLBACK',
      'SAVEPOINT work',
      'RELEASE work',
      'ROLLBACK TO work',
    ].map((sql) => db.prepare(sql)) as [
      StatementSync,
      StatementSync,
      StatementSync,
      StatementSync,
      StatementSync,
      StatementSync,
    ];
    this.writes = new WriteGroups(
      {
        begin: () => begin.run(),
        commit: () => commit.run(),
        rollback: () => rollback.run(),
        savepoint: () => savepoint.run(),
        release: () => release.run(),
        rollbackToSavepoint: () => {
          rollbackTo.run();
          release.run();
        },
      },
      walSync,
      onDisk ? COMMIT_INTERVAL_MS : 0,
      joined === undefined
        ? () => this.recycling?.noteCommit()
        : () => this.commitLock.countCommit(),
      this.commitLock,
    );
    // The thread that opened the database keeps its log bounded, counting every thread's commits.
    this.recycling =
      onDisk && joined === undefined
        ? new WalRecycling({
            startCheckpointer: () => WalCheckpointer.start(location, fsyncCheckpoints),
            setAutoCheckpoint: (pages) => db.exec(`PRAGMA wal_autocheckpoint = ${pages}`),
            holdCommits: (work) => this.writes.holdWhile(work),
            commitsElsewhere: () => this.commitLock.takeCommitCount(),
          })
        : undefined;
  }

  static async open(options: EmbeddedDatabaseOptions = {}): Promise<EmbeddedDatabase> {
    const sync = options.sync ?? 'full';
    if (options.dataDir === undefined)
      return EmbeddedDatabase.configure(new DatabaseSync(':memory:'), sync, undefined, ':memory:');
    refusePgliteDirectory(options.dataDir);
    mkdirSync(options.dataDir, { recursive: true });
    const name = options.file ?? DATABASE_FILE;
    // burndown.lock for burndown.sqlite, as earlier versions named it: they are kept out too.
    const lockFile = join(options.dataDir, `${name.replace(/\.sqlite$/, '')}.lock`);
    takeLock(lockFile);
    const file = join(options.dataDir, name);
    try {
      return EmbeddedDatabase.configure(new DatabaseSync(file), sync, lockFile, file);
    } catch (error) {
      rmSync(lockFile, { force: true });
      throw new Error(`cannot open embedded database ${file}: ${String(error)}`, { cause: error });
    }
  }

  /**
   * A second connection, for another thread of the process that opened `shared` (whose data
   * directory lock covers it): its commits take turns with the other threads' under one lock, and
   * it never checkpoints (the opening thread does, for all of them).
   */
  static join(shared: SharedDatabase): EmbeddedDatabase {
    const db = new DatabaseSync(shared.location);
    db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${shared.sync === 'off' ? 'OFF' : 'NORMAL'}; PRAGMA cache_size = -${CACHE_KIB};
             PRAGMA busy_timeout = 5000; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 0;`);
    return new EmbeddedDatabase(
      db,
      undefined,
      shared.location,
      shared.sync === 'full' ? new WalSync(`${shared.location}-wal`) : undefined,
      true,
      shared.sync !== 'off',
      shared,
    );
  }

  /**
   * What another thread passes to `join` to write this database too. Only a database on disk can
   * be shared; from now on commit notices also travel between the threads.
   */
  share(): SharedDatabase {
    this.assertOpen();
    if (this.lockFile === undefined && this.joined === undefined)
      throw new Error('an in-memory database cannot be shared with another thread');
    const noticesChannel = `burndown-commits:${this.location}`;
    this.notices.connect(noticesChannel);
    return {
      location: this.location,
      sync: this.syncMode,
      lockBuffer: this.commitLock.buffer,
      noticesChannel,
    };
  }

  private static configure(
    db: DatabaseSync,
    sync: SyncMode,
    lockFile: string | undefined,
    location: string,
  ): EmbeddedDatabase {
    // `full` is SQLite's NORMAL (no fsync inside COMMIT) plus WalSync's fsync off the main thread
    // before any commit is acknowledged: the same durability without blocking the event loop.
    const onDisk = lockFile !== undefined;
    db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${sync === 'off' ? 'OFF' : 'NORMAL'}; PRAGMA cache_size = -${CACHE_KIB};
             PRAGMA busy_timeout = 5000; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = ${DEFAULT_AUTO_CHECKPOINT_PAGES};`);
    return new EmbeddedDatabase(
      db,
      lockFile,
      location,
      onDisk && sync === 'full' ? new WalSync(`${location}-wal`) : undefined,
      onDisk,
      sync !== 'off',
    );
  }

  /** The sync mode in force, as SQLite and this class apply it. */
  get syncMode(): SyncMode {
    if (this.joined !== undefined) return this.joined.sync;
    if (this.walSync !== undefined) return 'full';
    return this.get<{ synchronous: number }>('PRAGMA synchronous')?.synchronous === 0
      ? 'off'
      : 'normal';
  }

  /** Rows as objects; integers as numbers unless `bigints` (positions, revisions, sequences). */
  all<Row>(sql: string, params: readonly SqlParam[] = [], bigints = false): Row[] {
    return this.statement(sql, bigints).all(...params) as Row[];
  }

  get<Row>(sql: string, params: readonly SqlParam[] = [], bigints = false): Row | undefined {
    return this.statement(sql, bigints).get(...params) as Row | undefined;
  }

  iterate<Row>(sql: string, params: readonly SqlParam[] = [], bigints = false): Iterable<Row> {
    return this.statement(sql, bigints).iterate(...params) as Iterable<Row>;
  }

  /** Runs a statement; `changes` is how many rows it inserted, updated or deleted. */
  run(
    sql: string,
    params: readonly SqlParam[] = [],
  ): { readonly changes: number; readonly lastInsertRowid: bigint } {
    const { changes, lastInsertRowid } = this.statement(sql, false).run(...params);
    return { changes: Number(changes), lastInsertRowid: BigInt(lastInsertRowid) };
  }

  /** Schema and other multi-statement SQL, outside any write group. */
  exec(sql: string): void {
    this.assertOpen();
    this.db.exec(sql);
  }

  /**
   * Runs `work` inside the next group commit and resolves with its result once that group is
   * durable (per the sync mode). A throwing `work` rolls back only its own writes and rejects.
   */
  write<T>(work: () => T): Promise<T> {
    this.assertOpen();
    return this.writes.add(work);
  }

  /**
   * Like write(), but resolves at COMMIT, before the sync: the writes are visible to every
   * connection and survive the process being killed (the OS holds them), and the next sync puts
   * them on disk with everything committed before it; only a power loss or a kernel crash before
   * then can lose them. For bookkeeping whose loss only repeats work already idempotent (a
   * consumer's delivered and acked positions), never for what a caller was told is stored.
   */
  writeCommitted<T>(work: () => T): Promise<T> {
    this.assertOpen();
    return this.writes.add(work, false);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // The checkpoint thread first: a pass that holds commits lets go when it ends.
    await this.recycling?.stop();
    // Whatever was queued commits next: a caller's write is never dropped by a shutdown.
    await this.writes.drain();
    this.closed = true;
    await this.walSync?.close();
    this.notices.close();
    this.statements.clear();
    this.bigintStatements.clear();
    this.db.close();
    if (this.lockFile) rmSync(this.lockFile, { force: true });
  }

  private statement(sql: string, bigints: boolean): StatementSync {
    this.assertOpen();
    const cache = bigints ? this.bigintStatements : this.statements;
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      if (bigints) statement.setReadBigInts(true);
      cache.set(sql, statement);
    }
    return statement;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('embedded database is closed');
  }
}

/** A directory written by the PGlite store is never opened as if it were empty. */
function refusePgliteDirectory(dataDir: string): void {
  if (!existsSync(join(dataDir, PGLITE_DIR, 'PG_VERSION'))) return;
  throw new Error(
    `data directory ${dataDir} holds a PGlite database (${join(dataDir, PGLITE_DIR)}) written by an earlier Burndown; ` +
      'this version keeps its embedded store in SQLite and cannot read it. Start with an empty BURNDOWN_DATA_DIR ' +
      '(move the old directory aside; the earlier version can still open it to export what you need).',
  );
}
