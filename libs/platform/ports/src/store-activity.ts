/** How much this process has written to its event store since it started, as `GET /health` reports it. */
export interface StoreActivitySnapshot {
  /** Append calls that have settled, the refused ones (a wrong expected revision) too. */
  readonly appends: number;
  /** Events the successful appends stored. */
  readonly appendedEvents: number;
}

/**
 * The process-wide count of event-store appends: one per process, whatever store and however
 * many services it runs. A counting decorator around the store records each append as it
 * settles; readers (the health endpoint, benchmarks) take differences of snapshots.
 */
class StoreActivity implements StoreActivitySnapshot {
  private appendCount = 0;
  private eventCount = 0;

  get appends(): number {
    return this.appendCount;
  }

  get appendedEvents(): number {
    return this.eventCount;
  }

  /** One settled append that stored `events` events (0 when the store refused it). */
  recordAppend(events: number): void {
    this.appendCount++;
    this.eventCount += events;
  }

  snapshot(): StoreActivitySnapshot {
    return { appends: this.appendCount, appendedEvents: this.eventCount };
  }
}

export const storeActivity = new StoreActivity();
