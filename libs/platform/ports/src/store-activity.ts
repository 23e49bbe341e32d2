/** How much this process has written to its event store since it started, as `GET /health` reports it. */
export interface StoreActivitySnapshot {
  /** Append calls that have settled, the refused ones (a wrong expected revision) too. */
  readonly appends: number;
  /** Events the successful appends stored. */
  readonly appendedEvents: number;
}

/**
 * The process-wide count of event-store appends: one per process, whatever store and however
 * many services and threads it runs. A counting decorator around the store records each append
 * as it settles; readers (the health endpoint, benchmarks) take differences of snapshots. The
 * counts live in shared memory, so a service thread counts into its process's figures.
 */
class StoreActivity implements StoreActivitySnapshot {
  private counts = new BigInt64Array(new SharedArrayBuffer(16));

  get appends(): number {
    return Number(Atomics.load(this.counts, 0));
  }

  get appendedEvents(): number {
    return Number(Atomics.load(this.counts, 1));
  }

  /** One settled append that stored `events` events (0 when the store refused it). */
  recordAppend(events: number): void {
    Atomics.add(this.counts, 0, 1n);
    Atomics.add(this.counts, 1, BigInt(events));
  }

  snapshot(): StoreActivitySnapshot {
    return { appends: this.appends, appendedEvents: this.appendedEvents };
  }

  /** The memory to hand another thread of this process, which then counts into these figures. */
  get sharedCounts(): SharedArrayBuffer {
    return this.counts.buffer as SharedArrayBuffer;
  }

  /** In a service thread: count into the process's figures from now on. */
  countInto(shared: SharedArrayBuffer): void {
    this.counts = new BigInt64Array(shared);
  }
}

export const storeActivity = new StoreActivity();
