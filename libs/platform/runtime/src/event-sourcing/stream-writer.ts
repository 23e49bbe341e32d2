import { newEventId } from './event-id';
import { WrongExpectedRevisionError, type EventStore, type JsonObject } from '@burndown/ports';
import type { Decider, EventCodec } from './decider';
import { loadStream, snapshotIfDue, type SnapshotPolicy } from './snapshots';
import { StreamCache, type CachedStream, type StreamTail } from './stream-cache';

export interface CommandOutcome<Event, State> {
  readonly events: readonly Event[];
  readonly state: State;
  /** The stream's revision after the command; undefined when the stream does not exist. */
  readonly revision: bigint | undefined;
}

export interface StreamWriterOptions<State> {
  readonly snapshots?: SnapshotPolicy<State>;
  /** Streams whose folded state stays in memory between commands (least recently used go first). */
  readonly cacheSize: number;
  /** Most commands decided together and appended as one write. */
  readonly maxGroup?: number;
  /**
   * Extra metadata per new event from the stream's tail (a hash chain links each event to the one
   * before it). Called again on every retry, so it always sees the real tail.
   */
  readonly link?: (
    streamName: string,
    tail: StreamTail | undefined,
    events: readonly { readonly type: string; readonly data: JsonObject }[],
  ) => readonly JsonObject[];
}

interface Pending<Command, Event, State> {
  readonly command: Command;
  readonly metadata: JsonObject;
  resolve(outcome: CommandOutcome<Event, State>): void;
  reject(error: unknown): void;
}

type Decision<Command, Event, State> =
  | {
      readonly pending: Pending<Command, Event, State>;
      readonly events: readonly Event[];
      readonly state: State;
    }
  | { readonly pending: Pending<Command, Event, State>; readonly refusal: unknown };

/** A conflicting writer (another process that did not own the stream) is rare; this bounds the retries. */
const MAX_CONFLICT_RETRIES = 8;
const DEFAULT_MAX_GROUP = 1_000;

/**
 * The single writer of the streams it is given: commands for one stream queue up while an append
 * is in flight and are then decided one after the other on the cached state and written as ONE
 * append (group commit). The folded state stays cached, so a command costs no read. The expected
 * revision is still checked on every append: a writer elsewhere makes it reload and decide again.
 */
export class StreamWriter<Command, Event, State> {
  private readonly cache: StreamCache<State>;
  private readonly queues = new Map<string, Pending<Command, Event, State>[]>();
  private readonly maxGroup: number;

  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<Command, Event, State>,
    private readonly codec: EventCodec<Event>,
    private readonly options: StreamWriterOptions<State>,
  ) {
    this.cache = new StreamCache(options.cacheSize);
    this.maxGroup = options.maxGroup ?? DEFAULT_MAX_GROUP;
  }

  execute(
    streamName: string,
    command: Command,
    metadata: JsonObject,
  ): Promise<CommandOutcome<Event, State>> {
    return new Promise((resolve, reject) => {
      const pending = { command, metadata, resolve, reject };
      const queue = this.queues.get(streamName);
      if (queue !== undefined) {
        queue.push(pending);
        return;
      }
      const started = [pending];
      this.queues.set(streamName, started);
      void this.drain(streamName, started);
    });
  }

  /**
   * The state this writer holds for the stream and the revision it is the state after (undefined:
   * the stream does not exist), if it holds one. Reads nothing and counts as no use of the cache.
   */
  cached(
    streamName: string,
  ): { readonly state: State; readonly revision: bigint | undefined } | undefined {
    const cached = this.cache.peek(streamName);
    return cached === undefined
      ? undefined
      : { state: cached.state, revision: cached.tail?.revision };
  }

  private async drain(streamName: string, queue: Pending<Command, Event, State>[]): Promise<void> {
    try {
      while (queue.length > 0) await this.commitGroup(streamName, queue.splice(0, this.maxGroup));
    } finally {
      this.queues.delete(streamName);
    }
  }

  /** Settles every pending command of the group; never throws. */
  private async commitGroup(
    streamName: string,
    group: readonly Pending<Command, Event, State>[],
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const current = await this.current(streamName);
        const decisions = this.decideAll(group, current.state);
        await this.append(streamName, current, decisions);
        this.settle(decisions, current.tail?.revision);
        return;
      } catch (error) {
        this.cache.delete(streamName);
        if (error instanceof WrongExpectedRevisionError && attempt < MAX_CONFLICT_RETRIES) continue;
        for (const pending of group) pending.reject(error);
        return;
      }
    }
  }

  private async current(streamName: string): Promise<CachedStream<State>> {
    const cached = this.cache.get(streamName);
    if (cached !== undefined) return cached;
    const loaded = await loadStream(
      this.store,
      streamName,
      this.decider,
      this.codec,
      this.options.snapshots,
    );
    const current = {
      state: loaded.state,
      tail: loaded.last,
      snapshotRevision: loaded.snapshotRevision,
    };
    this.cache.set(streamName, current);
    return current;
  }

  /** Each command sees the state its predecessors in the group left; a refusal affects only its own command. */
  private decideAll(
    group: readonly Pending<Command, Event, State>[],
    initial: State,
  ): Decision<Command, Event, State>[] {
    let state = initial;
    return group.map((pending) => {
      try {
        const events = this.decider.decide(pending.command, state);
        for (const event of events) state = this.decider.evolve(state, event);
        return { pending, events, state };
      } catch (refusal) {
        return { pending, refusal };
      }
    });
  }

  /** One append for the whole group, then the cache moves to the new tail. */
  private async append(
    streamName: string,
    current: CachedStream<State>,
    decisions: readonly Decision<Command, Event, State>[],
  ): Promise<void> {
    const encoded = decisions.flatMap((decision) =>
      'events' in decision
        ? decision.events.map((event) => {
            const { type, data } = this.codec.encode(event);
            return { type, data: data as JsonObject, metadata: decision.pending.metadata };
          })
        : [],
    );
    if (encoded.length === 0) return;
    const links = this.options.link?.(streamName, current.tail, encoded);
    const newEvents = encoded.map(({ type, data, metadata }, index) => ({
      eventId: newEventId(),
      type,
      data,
      metadata: { ...metadata, ...links?.[index] },
    }));
    const appended = await this.store.append(
      streamName,
      newEvents,
      current.tail?.revision ?? 'no_stream',
    );
    const last = newEvents[newEvents.length - 1] as (typeof newEvents)[number];
    const decided = [...decisions].reverse().find((decision) => 'state' in decision);
    const state = decided !== undefined && 'state' in decided ? decided.state : current.state;
    const revision = appended.nextExpectedRevision;
    let snapshotRevision = current.snapshotRevision;
    if (this.options.snapshots !== undefined) {
      const written = await snapshotIfDue(this.store, streamName, this.options.snapshots, current, {
        state,
        revision,
        eventId: last.eventId,
      });
      if (written) snapshotRevision = revision;
    }
    this.cache.set(streamName, {
      state,
      tail: { revision, metadata: last.metadata },
      snapshotRevision,
    });
  }

  private settle(
    decisions: readonly Decision<Command, Event, State>[],
    revisionBefore: bigint | undefined,
  ): void {
    // Revisions count up from the one before the group, in the order the commands were decided.
    let revision = revisionBefore;
    for (const decision of decisions) {
      if ('refusal' in decision) {
        decision.pending.reject(decision.refusal);
        continue;
      }
      if (decision.events.length > 0) revision = (revision ?? -1n) + BigInt(decision.events.length);
      decision.pending.resolve({ events: decision.events, state: decision.state, revision });
    }
  }
}
