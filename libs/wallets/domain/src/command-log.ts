import BTree from 'sorted-btree';
import { editable } from './transient';

type Entry = readonly [atMs: number, commandId: string];

function compareEntries(a: Entry, b: Entry): number {
  if (a[0] !== b[0]) return a[0] - b[0];
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

/**
 * The command ids a wallet has acted on within the dedupe horizon, as a persistent structure:
 * recording one is O(log n), and ids older than the horizon are forgotten as time moves on, so
 * memory is bounded by the horizon, not by the life of the wallet.
 */
export class CommandLog {
  private constructor(
    private readonly byId: BTree<string, number>,
    private readonly byTime: BTree<Entry, true>,
  ) {}

  static empty(): CommandLog {
    return new CommandLog(new BTree(), new BTree(undefined, compareEntries));
  }

  /** Rebuilds a log from its entries (a snapshot), in one pass. */
  static restore(entries: Iterable<readonly [commandId: string, atMs: number]>): CommandLog {
    const byId = new BTree<string, number>();
    const byTime = new BTree<Entry, true>(undefined, compareEntries);
    for (const [commandId, atMs] of entries) {
      byId.set(commandId, atMs);
      byTime.set([atMs, commandId], true);
    }
    return new CommandLog(byId, byTime);
  }

  get size(): number {
    return this.byId.size;
  }

  has(commandId: string): boolean {
    return this.byId.has(commandId);
  }

  /** Records `commandId` at `atMs` and forgets ids recorded before `atMs − horizonMs`. */
  record(commandId: string, atMs: number, horizonMs: number): CommandLog {
    if (this.byId.has(commandId)) return this;
    const byId = editable(this.byId);
    const byTime = editable(this.byTime);
    const oldest = atMs - horizonMs;
    for (;;) {
      const first = byTime.minKey();
      if (first === undefined || first[0] >= oldest) break;
      byTime.delete(first);
      byId.delete(first[1]);
    }
    byId.set(commandId, atMs);
    byTime.set([atMs, commandId], true);
    return new CommandLog(byId, byTime);
  }

  entries(): IterableIterator<[string, number]> {
    return this.byId.entries();
  }
}
