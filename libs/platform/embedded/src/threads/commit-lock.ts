/**
 * One writer at a time across the threads of a process that share a database file, without ever
 * blocking an event loop: SQLite's own lock would make a second writer sleep inside BEGIN
 * (its busy handler blocks the thread for 1, 2, 5… ms). A group commit runs synchronously from
 * BEGIN to COMMIT, so a thread holds this lock only for that long; a thread that finds it taken
 * waits with Atomics.waitAsync and its event loop goes on meanwhile.
 *
 * Cell 0 of the shared buffer is the lock (0 free, 1 taken); the buffer may come from another
 * thread (workerData), which is how two threads share one lock.
 */
export class CommitLock {
  /** Two Int32 cells: the lock, and commits counted by every thread (see `countCommit`). */
  static readonly BYTES = 8;
  private readonly cells: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(CommitLock.BYTES)) {
    if (buffer.byteLength < CommitLock.BYTES)
      throw new RangeError(`a commit lock needs ${CommitLock.BYTES} bytes of shared memory`);
    this.cells = new Int32Array(buffer, 0, 2);
  }

  tryLock(): boolean {
    return Atomics.compareExchange(this.cells, 0, 0, 1) === 0;
  }

  /** Resolves once this thread holds the lock. */
  async lock(): Promise<void> {
    while (!this.tryLock()) {
      const waiting = Atomics.waitAsync(this.cells, 0, 1);
      if (waiting.async) await waiting.value;
    }
  }

  unlock(): void {
    Atomics.store(this.cells, 0, 0);
    Atomics.notify(this.cells, 0);
  }

  /** Runs `work` holding the lock: no thread commits until it settles. */
  async holdWhile<T>(work: () => Promise<T>): Promise<T> {
    await this.lock();
    try {
      return await work();
    } finally {
      this.unlock();
    }
  }

  /** A commit of any thread, for the one that keeps the write-ahead log bounded. */
  countCommit(): void {
    Atomics.add(this.cells, 1, 1);
  }

  /** Commits counted since the last call. */
  takeCommitCount(): number {
    return Atomics.exchange(this.cells, 1, 0);
  }
}
