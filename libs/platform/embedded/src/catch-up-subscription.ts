import type { EventHandler, RecordedEvent, Subscription } from '@burndown/ports';

/**
 * Events after `after` (exclusive; undefined: from the start) in position order, at most `limit`,
 * and how far the read looked: a filter that matches little must not rescan what it passed over.
 */
export type ReadPage = (after: bigint | undefined, limit: number) => Promise<PageRead>;

export interface PageRead {
  readonly events: readonly RecordedEvent[];
  /** Every event up to here was examined (and the matching ones returned); undefined: nothing yet. */
  readonly through: bigint | undefined;
  /** True when the read reached the store's end: wait for an append before reading again. */
  readonly atEnd: boolean;
}

export interface CatchUpOptions {
  /** Exclusive; undefined: from the very first event. */
  readonly fromPosition: bigint | undefined;
  readonly pageSize: number;
  /** Longest wait for events that arrive without a wake-up (written by another store instance). */
  readonly pollIntervalMs: number;
  readonly onError?: (error: unknown, event: RecordedEvent) => void;
  /** A page read failed; the same read is retried after a pause. */
  readonly onReadError: (error: unknown) => void;
}

const FIRST_RETRY_DELAY_MS = 100;
const MAX_RETRY_DELAY_MS = 2_000;

/** Pause before the next attempt after `failures` consecutive failures (1-based): doubles, capped. */
export function retryDelayMs(failures: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** Math.max(0, failures - 1));
}

/**
 * Reads pages in position order and awaits the handler one event at a time, then waits for a
 * wake-up (or the poll interval) and reads on. A failing handler gets the same event again after a
 * growing pause: an event is never skipped, so a checkpoint stored by the handler never jumps one.
 *
 * stop() must not be awaited inside the handler: it waits for that very handler to return.
 */
export class CatchUpSubscription implements Subscription {
  private stopped = false;
  /** Set by notifyAppended(), cleared before each read, so a wake-up during a read is not lost. */
  private appendSeen = false;
  private pause: { readonly end: () => void; readonly endsOnAppend: boolean } | undefined;
  private readonly finished: Promise<void>;

  constructor(
    private readonly readPage: ReadPage,
    private readonly handler: EventHandler,
    private readonly options: CatchUpOptions,
  ) {
    this.finished = this.run();
  }

  /** Something was appended: read now instead of at the next poll. */
  notifyAppended(): void {
    this.appendSeen = true;
    if (this.pause?.endsOnAppend) this.pause.end();
  }

  /** Resolves once the in-flight handler (if any) has returned; no handler call follows. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.pause?.end();
    await this.finished;
  }

  private async run(): Promise<void> {
    let position = this.options.fromPosition;
    while (!this.stopped) {
      this.appendSeen = false;
      const page = await this.readNextPage(position);
      for (const event of page.events) {
        if (!(await this.deliver(event))) return;
        position = event.position;
      }
      if (page.through !== undefined && (position === undefined || page.through > position))
        position = page.through;
      if (page.atEnd) await this.sleep(this.options.pollIntervalMs, true);
    }
  }

  private async readNextPage(after: bigint | undefined): Promise<PageRead> {
    for (let failures = 1; !this.stopped; failures++) {
      try {
        return await this.readPage(after, this.options.pageSize);
      } catch (error) {
        callSafely(() => this.options.onReadError(error));
        await this.sleep(retryDelayMs(failures), false);
      }
    }
    return { events: [], through: after, atEnd: true };
  }

  /** False when the subscription stopped before the event was handled. */
  private async deliver(event: RecordedEvent): Promise<boolean> {
    for (let failures = 1; ; failures++) {
      if (this.stopped) return false;
      try {
        await this.handler(event);
        return true;
      } catch (error) {
        callSafely(() => this.options.onError?.(error, event));
        await this.sleep(retryDelayMs(failures), false);
      }
    }
  }

  /** Ends early on stop(), and on an append when `endsOnAppend` (retry pauses ignore appends). */
  private sleep(ms: number, endsOnAppend: boolean): Promise<void> {
    if (this.stopped || (endsOnAppend && this.appendSeen)) return Promise.resolve();
    return new Promise((resolve) => {
      const end = (): void => {
        clearTimeout(timer);
        this.pause = undefined;
        resolve();
      };
      const timer = setTimeout(end, ms);
      this.pause = { end, endsOnAppend };
    });
  }
}

/** A throwing error callback must not end the subscription loop: the event is retried anyway. */
function callSafely(report: () => void): void {
  try {
    report();
  } catch {
    // Nothing better to do with an error raised while reporting an error.
  }
}
