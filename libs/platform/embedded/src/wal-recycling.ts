import type { CheckpointResult, WalCheckpointer } from './wal-checkpointer';

/** How often, while writes come, the log is copied into the database file. */
const PASS_INTERVAL_MS = 250;
/** Commits in one interval that make the store busy enough for the checkpoint thread. */
const BUSY_COMMITS = 20;
/** Quiet this long, the checkpoint thread goes (a thread costs ~20 MB) and SQLite checkpoints itself again. */
const IDLE_STOP_MS = 5_000;
/**
 * At most this many frames (4 KiB pages) left after a pass are finished with commits held: under
 * constant writing a pass never catches up with the log's end by itself, and SQLite only starts
 * the log again from its beginning once a checkpoint has copied all of it.
 */
const MAX_FRAMES_TO_FINISH = 8_192;
/**
 * The log is finished (with commits held) only once it holds this many frames (64 MiB). A held
 * pass costs its fsyncs, 20–250 ms under load however few frames it copies: finishing after every
 * pass held every thread's commits ~15 % of the time (measured), for a log of ~20 MiB.
 */
const FRAMES_TO_START_AGAIN = 16_384;

export interface WalRecyclingHooks {
  startCheckpointer(): WalCheckpointer;
  /** SQLite's own checkpoint inside COMMIT, every `pages` pages of log; 0 turns it off. */
  setAutoCheckpoint(pages: number): void;
  /** No commit starts, in this thread or another writing the database, until `work` settles. */
  holdCommits<T>(work: () => Promise<T>): Promise<T>;
  /** Commits made by other threads writing the database since the last call. */
  commitsElsewhere(): number;
}

/**
 * Keeps the write-ahead log bounded without putting checkpoints on the event loop under load.
 * While the store is busy, a worker thread copies the log into the database file every
 * PASS_INTERVAL_MS; when a pass leaves little, commits pause for one more pass that completes the
 * log, so the next write restarts it from the beginning (without this the log grew by everything
 * written: 900 MB in a 15-second benchmark). While the store is quiet there is no thread and
 * SQLite checkpoints inside COMMIT as usual, which at a low write rate costs next to nothing.
 */
export class WalRecycling {
  private checkpointer: WalCheckpointer | undefined;
  private timer: NodeJS.Timeout | undefined;
  private commits = 0;
  private quietMs = 0;
  private passing: Promise<void> | undefined;
  private ticking = false;
  private stopped = false;

  constructor(private readonly hooks: WalRecyclingHooks) {}

  noteCommit(): void {
    this.commits++;
    // One chain of ticks: a tick under way schedules the next itself when it ends.
    if (this.timer === undefined && !this.ticking && !this.stopped) this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.checkpointer?.stop();
    await this.passing;
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.tick(), PASS_INTERVAL_MS);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    this.ticking = true;
    try {
      await this.recycle();
    } finally {
      this.ticking = false;
    }
    if (!this.stopped && (this.checkpointer !== undefined || this.commits > 0)) this.schedule();
  }

  private async recycle(): Promise<void> {
    const commits = this.commits + this.hooks.commitsElsewhere();
    this.commits = 0;
    if (this.checkpointer === undefined && commits >= BUSY_COMMITS) {
      this.hooks.setAutoCheckpoint(0);
      this.checkpointer = this.hooks.startCheckpointer();
    }
    const checkpointer = this.checkpointer;
    if (checkpointer !== undefined) {
      this.quietMs = commits === 0 ? this.quietMs + PASS_INTERVAL_MS : 0;
      if (this.quietMs >= IDLE_STOP_MS) {
        this.checkpointer = undefined;
        this.quietMs = 0;
        await this.pass(checkpointer);
        await checkpointer.stop();
        if (!this.stopped) this.hooks.setAutoCheckpoint(DEFAULT_AUTO_CHECKPOINT_PAGES);
      } else {
        this.passing = this.pass(checkpointer);
        await this.passing;
      }
    }
  }

  private async pass(checkpointer: WalCheckpointer): Promise<void> {
    // The first pass runs beside the commits and copies the log as it was when the pass began; its
    // counts say nothing of frames appended meanwhile. Once the log is long and the pass left
    // little, a second pass with commits held copies what was appended meanwhile, and the log is
    // complete.
    const first: CheckpointResult = await checkpointer.checkpoint();
    const left = first.logFrames - first.checkpointedFrames;
    if (this.stopped || first.logFrames < FRAMES_TO_START_AGAIN || left > MAX_FRAMES_TO_FINISH)
      return;
    await this.hooks.holdCommits(() => checkpointer.checkpoint());
  }
}

/** SQLite's default: checkpoint inside COMMIT once the log holds 1,000 pages. */
export const DEFAULT_AUTO_CHECKPOINT_PAGES = 1_000;
