import { randomUUID } from 'node:crypto';
import {
  WrongExpectedRevisionError,
  type EventStore,
  type JsonObject,
  type RecordedEvent,
} from '@burndown/ports';
import type { Decider, EventCodec } from './decider';
import { loadStream, snapshotIfDue, type SnapshotPolicy } from './snapshots';

export interface CommandContext<State = unknown> {
  /** Stamped into every appended event's metadata. */
  readonly metadata: JsonObject;
  /**
   * Extra metadata per new event, computed from the stream's last event (a hash chain links each
   * event to the one before it). Called again on every retry, so it always sees the real tail.
   */
  readonly link?: (
    last: RecordedEvent | undefined,
    events: readonly { readonly type: string; readonly data: JsonObject }[],
  ) => readonly JsonObject[];
  /** Load from the latest snapshot and write a new one every so many events. */
  readonly snapshots?: SnapshotPolicy<State>;
}

export interface CommandOutcome<Event, State> {
  readonly events: readonly Event[];
  readonly state: State;
  /** The stream's revision after the command; undefined when the stream does not exist. */
  readonly revision: bigint | undefined;
}

/** Concurrent writers on one stream are rare (one writer per wallet); this bounds the retries. */
const MAX_CONFLICT_RETRIES = 8;

/**
 * Read the stream, fold it, decide, append with the revision that was read. A conflicting writer
 * makes the whole cycle run again on fresh state, so a decision is never made on stale state.
 */
export async function handleCommand<Command, Event, State>(
  store: EventStore,
  streamName: string,
  decider: Decider<Command, Event, State>,
  codec: EventCodec<Event>,
  command: Command,
  context: CommandContext<State>,
): Promise<CommandOutcome<Event, State>> {
  for (let attempt = 1; ; attempt++) {
    const loaded = await loadStream(store, streamName, decider, codec, context.snapshots);
    const { state, last } = loaded;
    const events = decider.decide(command, state);
    if (events.length === 0) return { events, state, revision: last?.revision };
    try {
      const encoded = events.map((event) => {
        const { type, data } = codec.encode(event);
        return { type, data: data as JsonObject };
      });
      const links = context.link?.(last, encoded);
      const newEvents = encoded.map(({ type, data }, index) => ({
        eventId: randomUUID(),
        type,
        data,
        metadata: { ...context.metadata, ...links?.[index] },
      }));
      const appended = await store.append(
        streamName,
        newEvents,
        last === undefined ? 'no_stream' : last.revision,
      );
      const after = events.reduce(decider.evolve, state);
      if (context.snapshots !== undefined) {
        const eventId = newEvents.at(-1)?.eventId ?? '';
        await snapshotIfDue(store, streamName, context.snapshots, loaded, {
          state: after,
          revision: appended.nextExpectedRevision,
          eventId,
        });
      }
      return { events, state: after, revision: appended.nextExpectedRevision };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_CONFLICT_RETRIES) throw error;
    }
  }
}
