/** The shared, append-only record behind every version of a log. */
interface Journal {
  readonly ids: string[];
  readonly times: number[];
  /** For each position, the position where the same id was recorded before it, or −1. */
  readonly previous: number[];
  /** Latest position of each id, for positions below `indexed`. */
  readonly latest: Map<string, number>;
  indexed: number;
}

const newJournal = (): Journal => ({
  ids: [],
  times: [],
  previous: [],
  latest: new Map(),
  indexed: 0,
});

/**
 * The command ids a wallet (or any aggregate) has acted on within its dedupe horizon.
 *
 * Every version of a log shares one append-only journal and sees its first `end` entries, so
 * recording is an append and earlier versions stay exactly as they were. Only recording from a
 * version that is no longer the newest (a fork) copies the live entries. The id index is built
 * lazily, the first time the log is asked about an id, so a fold that never decides (a
 * projection, a replay) only appends. Forgetting is a watermark: an id recorded before
 * `forgetBeforeMs` no longer counts, and the journal sheds forgotten entries once they are most
 * of it.
 */
export class CommandLog {
  private constructor(
    private readonly journal: Journal,
    private readonly end: number,
    /** Entries before this position are all forgotten. */
    private readonly liveFrom: number,
    private readonly forgetBeforeMs: number,
    /** Set on the log of a fold that never decides: nothing is recorded, nothing can be asked. */
    private readonly untracked = false,
  ) {}

  static empty(): CommandLog {
    return new CommandLog(newJournal(), 0, 0, Number.NEGATIVE_INFINITY);
  }

  /**
   * The log for a fold that only reads the state it builds (a projection following the writer):
   * recording costs nothing, and asking throws, so such a state can never decide. Evolving a
   * writer's older version would otherwise fork the journal, copying every live id (a hot
   * wallet's projection spent a third of its time there).
   */
  static untracked(): CommandLog {
    return new CommandLog(newJournal(), 0, 0, Number.NEGATIVE_INFINITY, true);
  }

  /** False for the log of a fold that never decides (see `untracked`). */
  get tracked(): boolean {
    return !this.untracked;
  }

  /** Rebuilds a log from its live entries (a snapshot). */
  static restore(entries: Iterable<readonly [commandId: string, atMs: number]>): CommandLog {
    const journal = newJournal();
    for (const [commandId, atMs] of entries) append(journal, commandId, atMs);
    return new CommandLog(journal, journal.ids.length, 0, Number.NEGATIVE_INFINITY);
  }

  /** Entries recorded since the oldest live one (an id recorded twice counts twice): what a snapshot of the log costs. */
  get weight(): number {
    return this.end - this.liveFrom;
  }

  has(commandId: string): boolean {
    if (this.untracked)
      throw new Error(
        'an untracked command log cannot tell seen commands: this state must not decide',
      );
    const { journal } = this;
    indexUpTo(journal, journal.ids.length);
    let position = journal.latest.get(commandId) ?? -1;
    while (position >= this.end) position = journal.previous[position] as number;
    return position >= 0 && (journal.times[position] as number) >= this.forgetBeforeMs;
  }

  /** Records `commandId` at `atMs` and forgets ids recorded before `atMs − horizonMs`. */
  record(commandId: string, atMs: number, horizonMs: number): CommandLog {
    if (this.untracked) return this;
    const forgetBeforeMs = Math.max(this.forgetBeforeMs, atMs - horizonMs);
    let journal = this.journal;
    let liveFrom = this.liveFrom;
    while (liveFrom < this.end && (journal.times[liveFrom] as number) < forgetBeforeMs) liveFrom++;
    const dead = liveFrom;
    if (this.end !== journal.ids.length || (dead > 1_024 && dead * 2 > this.end)) {
      journal = this.liveCopy(liveFrom, forgetBeforeMs);
      liveFrom = 0;
    }
    append(journal, commandId, atMs);
    return new CommandLog(journal, journal.ids.length, liveFrom, forgetBeforeMs);
  }

  /** Live entries with the time each id was last recorded, ordered by command id. */
  entries(): [string, number][] {
    if (this.untracked) throw new Error('an untracked command log has no entries to snapshot');
    const live = new Map<string, number>();
    for (let position = this.liveFrom; position < this.end; position++) {
      const atMs = this.journal.times[position] as number;
      if (atMs >= this.forgetBeforeMs) live.set(this.journal.ids[position] as string, atMs);
    }
    return [...live].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private liveCopy(from: number, forgetBeforeMs: number): Journal {
    const journal = newJournal();
    for (let position = from; position < this.end; position++) {
      const atMs = this.journal.times[position] as number;
      if (atMs >= forgetBeforeMs) append(journal, this.journal.ids[position] as string, atMs);
    }
    return journal;
  }
}

function append(journal: Journal, commandId: string, atMs: number): void {
  journal.ids.push(commandId);
  journal.times.push(atMs);
  journal.previous.push(-1);
}

/** Indexes the journal's entries up to `end`; each entry is indexed once, whichever version asks. */
function indexUpTo(journal: Journal, end: number): void {
  for (let position = journal.indexed; position < end; position++) {
    const commandId = journal.ids[position] as string;
    journal.previous[position] = journal.latest.get(commandId) ?? -1;
    journal.latest.set(commandId, position);
  }
  if (end > journal.indexed) journal.indexed = end;
}
