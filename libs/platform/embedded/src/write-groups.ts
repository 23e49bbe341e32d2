import { CommitLock } from './threads/commit-lock';

/** The statements a write group needs from its connection. */
export interface TransactionControl {
  begin(): unknown;
  commit(): unknown;
  rollback(): unknown;
  savepoint(): unknown;
  release(): unknown;
  rollbackToSavepoint(): unknown;
}

/** The log a group commit waits for before its writes are acknowledged. */
export interface DurableLog {
  /** Resolves once what was committed before the call is on disk. */
  afterCommit(): Promise<void>;
  /** Settles when the sync under way ends; undefined while none runs. */
  readonly syncing: Promise<void> | undefined;
}

interface QueuedWork {
  readonly work: () => unknown;
  /** False: acknowledged at COMMIT, before the sync that puts it on disk (see EmbeddedDatabase.writeCommitted). */
  readonly durable: boolean;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** A bound on one transaction; what is queued beyond it commits in the next group at once. */
export const MAX_WORKS_PER_GROUP = 10_000;

/**
 * Group commit for a synchronous connection: every write queued during one turn of the event loop
 * runs in one transaction, each inside a savepoint so a failing one rolls back alone, and all of
 * them are acknowledged after the one COMMIT (one fsync). A caller is never told "stored" before
 * its group is committed.
 */
export class WriteGroups {
  private queue: QueuedWork[] = [];
  private scheduled = false;

  private lastCommitAtMs = -Infinity;
  private awaitingLock = false;

  /**
   * `durable`, when given, is the log whose sync acknowledges a commit. While it syncs, the next
   * group waits to commit until the sync ends: its writes could not be acknowledged before the
   * next sync anyway, and one commit then rewrites the pages it touches once instead of once per
   * interval (under a slow fsync, dozens of small commits made the next fsync slower still).
   * `minCommitIntervalMs` spaces commits out under load: a commit rewrites every page it touched,
   * so fewer, larger groups write far less than one per turn of the event loop. `lock` is shared
   * with the other threads writing the same database file, if any.
   */
  constructor(
    private readonly control: TransactionControl,
    private readonly durable?: DurableLog,
    private readonly minCommitIntervalMs = 0,
    private readonly onCommitted: () => void = () => undefined,
    private readonly lock: CommitLock = new CommitLock(),
  ) {}

  add<T>(work: () => T, durable = true): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, durable, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /** No commit starts, in any thread sharing the lock, until `work` settles. */
  holdWhile<T>(work: () => Promise<T>): Promise<T> {
    return this.lock.holdWhile(work);
  }

  /** Commits whatever is queued now (before closing the connection). */
  async drain(): Promise<void> {
    await this.lock.lock();
    this.flushLocked();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const waitMs = this.lastCommitAtMs + this.minCommitIntervalMs - performance.now();
    if (waitMs > 0) setTimeout(() => this.flush(), waitMs);
    else setImmediate(() => this.flush());
  }

  /** Commits once this thread holds the lock; while another holds it, the event loop goes on. */
  private flush(): void {
    const syncing = this.durable?.syncing;
    if (syncing !== undefined) {
      void syncing.then(() => this.flush());
      return;
    }
    if (this.lock.tryLock()) {
      this.flushLocked();
      return;
    }
    if (this.awaitingLock) return;
    this.awaitingLock = true;
    void this.lock.lock().then(() => {
      this.awaitingLock = false;
      this.flushLocked();
    });
  }

  private flushLocked(): void {
    try {
      this.scheduled = false;
      this.lastCommitAtMs = performance.now();
      while (this.queue.length > 0) {
        const group =
          this.queue.length <= MAX_WORKS_PER_GROUP
            ? this.queue
            : this.queue.slice(0, MAX_WORKS_PER_GROUP);
        this.queue =
          this.queue.length <= MAX_WORKS_PER_GROUP ? [] : this.queue.slice(MAX_WORKS_PER_GROUP);
        this.commitGroup(group);
      }
    } finally {
      this.lock.unlock();
    }
  }

  private commitGroup(group: readonly QueuedWork[]): void {
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.control.begin();
    } catch (error) {
      for (const queued of group) queued.reject(error);
      return;
    }
    for (const queued of group) outcomes.push(this.runOne(queued));
    try {
      this.control.commit();
    } catch (error) {
      try {
        this.control.rollback();
      } catch {
        // The connection already ended the transaction.
      }
      for (const queued of group) queued.reject(error);
      return;
    }
    this.onCommitted();
    const settle = (durable: boolean, error?: unknown) =>
      group.forEach((queued, index) => {
        if (queued.durable !== durable) return;
        const outcome = outcomes[index] as (typeof outcomes)[number];
        if (error !== undefined) queued.reject(error);
        else if (outcome.ok) queued.resolve(outcome.value);
        else queued.reject(outcome.error);
      });
    settle(false);
    if (this.durable === undefined) settle(true);
    else
      this.durable.afterCommit().then(
        () => settle(true),
        (error: unknown) =>
          settle(
            true,
            new Error(`commit not known to be on disk: ${String(error)}`, { cause: error }),
          ),
      );
  }

  private runOne(queued: QueuedWork): { ok: true; value: unknown } | { ok: false; error: unknown } {
    this.control.savepoint();
    try {
      const value = queued.work();
      this.control.release();
      return { ok: true, value };
    } catch (error) {
      this.control.rollbackToSavepoint();
      return { ok: false, error };
    }
  }
}
