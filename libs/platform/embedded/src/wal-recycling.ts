import type { WalCheckpointer } from './wal-checkpointer';

/** How often the log is copied into the database file. */
const PASS_INTERVAL_MS = 250;
/**
 * At most this many frames (4 KiB pages) left after a pass are finished with commits held: under
 * constant writing a pass never catches up with the log's end by itself, and SQLite only starts
 * the log again from its beginning once a checkpoint has copied all of it.
 */
const MAX_FRAMES_TO_FINISH = 8_192;

/**
 * Keeps the write-ahead log bounded: a checkpoint pass in the worker every PASS_INTERVAL_MS; when
 * the pass leaves little, commits pause (`hold`) for one more pass that completes the log, so the
 * next write restarts it from the beginning. Without this the log grew by the whole write volume
 * (900 MB in a 15-second benchmark).
 */
export class WalRecycling {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly checkpointer: WalCheckpointer,
    private readonly hold: (until: Promise<unknown>) => void,
  ) {
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.checkpointer.stop();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.pass(), PASS_INTERVAL_MS);
    this.timer.unref();
  }

  private async pass(): Promise<void> {
    // The first pass runs beside the commits and copies the log as it was when the pass began; its
    // counts say nothing of frames appended meanwhile. If it left little, a second pass with
    // commits held copies what was appended meanwhile, and the log is complete.
    const first = await this.checkpointer.checkpoint();
    const left = first.logFrames - first.checkpointedFrames;
    if (!this.stopped && first.logFrames > 0 && left <= MAX_FRAMES_TO_FINISH) {
      const finishing = this.checkpointer.checkpoint();
      this.hold(finishing);
      await finishing;
    }
    this.schedule();
  }
}
