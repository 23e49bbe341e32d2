import BTree from 'sorted-btree';
import { compareStrings } from './compare';
import { adopt, editable, ownedByBatch } from './transient';

/**
 * The command ids a wallet has acted on within the dedupe horizon.
 *
 * Forgetting is a watermark: an id recorded before `forgetBeforeMs` no longer counts, whether or
 * not it is still stored, so moving on in time costs nothing. Ids live in two places:
 * - `base`, a plain Map: written in place only by the batch (fold) that created it, frozen after;
 *   its `order` queue lets that batch drop forgotten ids as it goes, so memory follows the horizon;
 * - `recent`, a persistent B+ tree for ids recorded outside a batch (one command at a time), so
 *   every earlier state stays valid. When it outgrows the base, both merge into a new base.
 * A fold of a million events is then a million Map writes, not two million tree inserts.
 */
export class CommandLog {
  private constructor(
    private readonly base: Map<string, number>,
    /** Ids of `base` in the order recorded, from `head` on: the batch drops forgotten ones from the front. */
    private readonly order: { readonly ids: string[]; head: number },
    private readonly recent: BTree<string, number>,
    private readonly forgetBeforeMs: number,
  ) {}

  static empty(): CommandLog {
    return new CommandLog(new Map(), { ids: [], head: 0 }, new BTree(undefined, compareStrings), Number.NEGATIVE_INFINITY);
  }

  /** Rebuilds a log from its live entries (a snapshot) in one pass. */
  static restore(entries: Iterable<readonly [commandId: string, atMs: number]>): CommandLog {
    const base = new Map<string, number>();
    for (const [commandId, atMs] of entries) base.set(commandId, atMs);
    return new CommandLog(base, { ids: [...base.keys()], head: 0 }, new BTree(undefined, compareStrings), Number.NEGATIVE_INFINITY);
  }

  has(commandId: string): boolean {
    const atMs = this.recent.get(commandId) ?? this.base.get(commandId);
    return atMs !== undefined && atMs >= this.forgetBeforeMs;
  }

  /** Records `commandId` at `atMs` and forgets ids recorded before `atMs − horizonMs`. */
  record(commandId: string, atMs: number, horizonMs: number): CommandLog {
    const forgetBeforeMs = Math.max(this.forgetBeforeMs, atMs - horizonMs);
    if (ownedByBatch(this.base) && this.recent.size === 0) {
      // One hash lookup per event: an id already live keeps its first time.
      const known = this.base.get(commandId);
      if (known !== undefined && known >= this.forgetBeforeMs) return this;
      this.base.set(commandId, atMs);
      this.order.ids.push(commandId);
      if (forgetBeforeMs === this.forgetBeforeMs) return this;
      this.dropForgotten(forgetBeforeMs);
      return new CommandLog(this.base, this.order, this.recent, forgetBeforeMs);
    }
    if (this.has(commandId)) return this;
    const recent = editable(this.recent);
    recent.set(commandId, atMs);
    if (recent.size <= Math.max(1_024, this.base.size)) return new CommandLog(this.base, this.order, recent, forgetBeforeMs);
    return this.merged(recent, forgetBeforeMs);
  }

  /** Live entries, ordered by command id. */
  entries(): [string, number][] {
    const live = new Map<string, number>();
    for (const [commandId, atMs] of this.base) if (atMs >= this.forgetBeforeMs) live.set(commandId, atMs);
    for (const [commandId, atMs] of this.recent.entries()) if (atMs >= this.forgetBeforeMs) live.set(commandId, atMs);
    return [...live].sort(([a], [b]) => compareStrings(a, b));
  }

  get size(): number {
    return this.entries().length;
  }

  /** Base and recent in a new base (owned by the running batch, if any); forgotten ids dropped. */
  private merged(recent: BTree<string, number>, forgetBeforeMs: number): CommandLog {
    const base = new Map<string, number>();
    const order: string[] = [];
    for (let index = this.order.head; index < this.order.ids.length; index++) {
      const commandId = this.order.ids[index] as string;
      const atMs = this.base.get(commandId);
      if (atMs !== undefined && atMs >= forgetBeforeMs) {
        base.set(commandId, atMs);
        order.push(commandId);
      }
    }
    for (const [commandId, atMs] of recent.entries()) {
      if (atMs >= forgetBeforeMs && !base.has(commandId)) {
        base.set(commandId, atMs);
        order.push(commandId);
      }
    }
    adopt(base);
    return new CommandLog(base, { ids: order, head: 0 }, new BTree(undefined, compareStrings), forgetBeforeMs);
  }

  /** In the batch's own base: drops ids from the front of the queue once they are forgotten. */
  private dropForgotten(forgetBeforeMs: number): void {
    const { ids } = this.order;
    let head = this.order.head;
    while (head < ids.length) {
      const oldest = ids[head] as string;
      const atMs = this.base.get(oldest);
      if (atMs !== undefined && atMs >= forgetBeforeMs) break;
      this.base.delete(oldest);
      head++;
    }
    // Shifting an array is O(n): compact the queue only once most of it is gone.
    if (head > 1_024 && head * 2 > ids.length) {
      ids.splice(0, head);
      head = 0;
    }
    this.order.head = head;
  }
}
