import type { EmbeddedDatabase } from './embedded-database';

interface Waiting<Item, Result> {
  readonly item: Item;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

/** Most items one write takes; the rest go in the next write of the same group commit. */
const MAX_ITEMS_PER_WRITE = 5_000;

/**
 * Many small writes of one kind (publishes, acks) as ONE write of the database's next group
 * commit: the first item of a turn registers the write, and the write takes every item queued by
 * the time the group runs. `writeAll` answers one result per item, in order; if it throws, every
 * item of that write fails with it.
 */
export class CoalescedWrites<Item, Result> {
  private waiting: Waiting<Item, Result>[] = [];
  private registered = false;

  constructor(
    private readonly db: EmbeddedDatabase,
    private readonly writeAll: (items: readonly Item[]) => readonly Result[],
    /** False: each item is answered at COMMIT, before the sync (see EmbeddedDatabase.writeCommitted). */
    private readonly durable = true,
  ) {}

  add(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.register();
    });
  }

  private register(): void {
    if (this.registered) return;
    this.registered = true;
    let taken: Waiting<Item, Result>[] = [];
    const work = () => {
      this.registered = false;
      taken = this.waiting.splice(0, MAX_ITEMS_PER_WRITE);
      if (this.waiting.length > 0) this.register();
      return this.writeAll(taken.map((waiting) => waiting.item));
    };
    const written = this.durable ? this.db.write(work) : this.db.writeCommitted(work);
    written.then(
      (results) => taken.forEach((waiting, index) => waiting.resolve(results[index] as Result)),
      (error: unknown) => {
        // A write that never ran (the database refused it) leaves its items queued: fail them too.
        if (taken.length === 0 && this.registered === true) {
          this.registered = false;
          taken = this.waiting.splice(0);
        }
        for (const waiting of taken) waiting.reject(error);
      },
    );
  }
}
