import type { JsonObject } from '@burndown/ports';

/** What a writer needs of a stream's last event: where to append next and what to chain onto. */
export interface StreamTail {
  readonly revision: bigint;
  readonly metadata: JsonObject;
}

export interface CachedStream<State> {
  readonly state: State;
  /** Undefined while the stream does not exist. */
  readonly tail: StreamTail | undefined;
  /** Revision of the latest snapshot, so the writer knows when the next one is due. */
  readonly snapshotRevision: bigint | undefined;
}

/** Folded streams by name, least recently used evicted first. */
export class StreamCache<State> {
  private readonly entries = new Map<string, CachedStream<State>>();

  constructor(private readonly capacity: number) {}

  get(streamName: string): CachedStream<State> | undefined {
    const entry = this.entries.get(streamName);
    if (entry !== undefined) {
      // Map keeps insertion order: re-inserting marks it most recently used.
      this.entries.delete(streamName);
      this.entries.set(streamName, entry);
    }
    return entry;
  }

  /** The entry without counting as a use: a reader that does not write must not keep streams cached. */
  peek(streamName: string): CachedStream<State> | undefined {
    return this.entries.get(streamName);
  }

  set(streamName: string, entry: CachedStream<State>): void {
    if (this.capacity <= 0) return;
    this.entries.delete(streamName);
    this.entries.set(streamName, entry);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  delete(streamName: string): void {
    this.entries.delete(streamName);
  }
}
