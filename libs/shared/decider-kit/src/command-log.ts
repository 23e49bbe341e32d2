import BTree from 'sorted-btree';
import { compareStrings } from './compare';
import { adopt, editable, ownedByBatch } from './transient';

/** Ids recorded by a batch and not yet in the index, in the order recorded. */
interface Pending {
  readonly ids: string[];
  readonly times: number[];
}

/**
 * The command ids a wallet has acted on within the dedupe horizon.
 *
 * Forgetting is a watermark: an id recorded before `forgetBeforeMs` no longer counts, whether or
 * not it is still stored, so moving on in time costs nothing. Ids live in two places:
 * - `base`, a plain Map, with `pending`: a batch (a fold) that owns them appends ids to `pending`
 *   only, and they are indexed into `base` the first time the log is asked about an id. Folds
 *   that never decide (projections, replays) never pay for the index. Only the batch's final log
 *   is ever seen outside it, so indexing later changes nothing anyone can observe.
 * - `recent`, a persistent B+ tree for ids recorded outside a batch (one command at a time), so
 *   every earlier state stays valid. When it outgrows the base, both merge into a new base.
 */
export class CommandLog {
  private constructor(
    private readonly base: Map<string, number>,
    private readonly pending: Pending,
    private readonly recent: BTree<string, number>,
    private readonly forgetBeforeMs: number,
  ) {}

  static empty(): CommandLog {
    const base = new Map<string, number>();
    adopt(base);
    return new CommandLog(base, { ids: [], times: [] }, new BTree(undefined, compareStrings), Number.NEGATIVE_INFINITY);
  }

  /** Rebuilds a log from its live entries (a snapshot) in one pass. */
  static restore(entries: Iterable<readonly [commandId: string, atMs: number]>): CommandLog {
    return new CommandLog(new Map(entries), { ids: [], times: [] }, new BTree(undefined, compareStrings), Number.NEGATIVE_INFINITY);
  }

  has(commandId: string): boolean {
    this.index();
    const atMs = this.recent.get(commandId) ?? this.base.get(commandId);
    return atMs !== undefined && atMs >= this.forgetBeforeMs;
  }

  /** Records `commandId` at `atMs` and forgets ids recorded before `atMs − horizonMs`. */
  record(commandId: string, atMs: number, horizonMs: number): CommandLog {
    const forgetBeforeMs = Math.max(this.forgetBeforeMs, atMs - horizonMs);
    if (ownedByBatch(this.base) && this.recent.size === 0) {
      this.pending.ids.push(commandId);
      this.pending.times.push(atMs);
      return forgetBeforeMs === this.forgetBeforeMs ? this : new CommandLog(this.base, this.pending, this.recent, forgetBeforeMs);
    }
    if (this.has(commandId)) return this;
    const recent = editable(this.recent);
    recent.set(commandId, atMs);
    if (recent.size <= Math.max(1_024, this.base.size)) return new CommandLog(this.base, this.pending, recent, forgetBeforeMs);
    return this.merged(recent, forgetBeforeMs);
  }

  /** Live entries, ordered by command id. */
  entries(): [string, number][] {
    this.index();
    const live = new Map<string, number>();
    for (const [commandId, atMs] of this.base) if (atMs >= this.forgetBeforeMs) live.set(commandId, atMs);
    for (const [commandId, atMs] of this.recent.entries()) if (atMs >= this.forgetBeforeMs) live.set(commandId, atMs);
    return [...live].sort(([a], [b]) => compareStrings(a, b));
  }

  get size(): number {
    return this.entries().length;
  }

  /** Moves pending ids into the index; an id keeps the time it was first recorded while live. */
  private index(): void {
    const { ids, times } = this.pending;
    if (ids.length === 0) return;
    for (let position = 0; position < ids.length; position++) {
      const atMs = times[position] as number;
      if (atMs < this.forgetBeforeMs) continue;
      const commandId = ids[position] as string;
      const known = this.base.get(commandId);
      if (known === undefined || known < this.forgetBeforeMs) this.base.set(commandId, atMs);
    }
    ids.length = 0;
    times.length = 0;
  }

  /** Base and recent in a new base (owned by the running batch, if any); forgotten ids dropped. */
  private merged(recent: BTree<string, number>, forgetBeforeMs: number): CommandLog {
    this.index();
    const base = new Map<string, number>();
    for (const [commandId, atMs] of this.base) if (atMs >= forgetBeforeMs) base.set(commandId, atMs);
    for (const [commandId, atMs] of recent.entries()) if (atMs >= forgetBeforeMs && !base.has(commandId)) base.set(commandId, atMs);
    adopt(base);
    return new CommandLog(base, { ids: [], times: [] }, new BTree(undefined, compareStrings), forgetBeforeMs);
  }
}
