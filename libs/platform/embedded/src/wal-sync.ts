import { closeSync, fdatasync, openSync } from 'node:fs';

/**
 * fsync of the write-ahead log on libuv's thread pool, shared by every commit it covers: the main
 * thread never waits on the disk. A commit asks for a sync that starts after it; while one is in
 * flight, everything committed meanwhile waits for the next, so under load one fsync covers many
 * group commits. (SQLite's own synchronous=FULL would fsync on the main thread at every COMMIT.)
 */
export class WalSync {
  private fd: number | undefined;
  private inFlight: Promise<void> | undefined;
  private next:
    { readonly promise: Promise<void>; resolve(): void; reject(error: unknown): void } | undefined;

  constructor(private readonly walFile: string) {}

  /** Resolves once everything committed before this call is on disk. */
  afterCommit(): Promise<void> {
    if (this.inFlight === undefined) {
      this.inFlight = this.sync();
      return this.inFlight;
    }
    if (this.next === undefined) {
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<void>((ok, fail) => {
        resolve = ok;
        reject = fail;
      });
      this.next = { promise, resolve, reject };
    }
    return this.next.promise;
  }

  /** Settles when the sync under way ends (never rejects); undefined while none runs. */
  get syncing(): Promise<void> | undefined {
    return this.inFlight?.catch(() => undefined);
  }

  /** Waits for the syncs under way, then lets go of the file. */
  async close(): Promise<void> {
    while (this.inFlight !== undefined) await this.inFlight.catch(() => undefined);
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private async sync(): Promise<void> {
    try {
      // Opened on first use: SQLite creates the log with the first write.
      this.fd ??= openSync(this.walFile, 'r+');
      const fd = this.fd;
      await new Promise<void>((resolve, reject) =>
        fdatasync(fd, (error) => (error ? reject(error) : resolve())),
      );
    } finally {
      this.inFlight = undefined;
      const waiting = this.next;
      this.next = undefined;
      if (waiting !== undefined) {
        this.inFlight = this.sync();
        this.inFlight.then(waiting.resolve, waiting.reject);
      }
    }
  }
}
