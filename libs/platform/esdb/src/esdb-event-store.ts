import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type ResolvedEvent,
} from '@eventstore/db-client';
import {
  WrongExpectedRevisionError,
  type AppendResult,
  type EventHandler,
  type EventStore,
  type ExpectedRevision,
  type JsonObject,
  type NewEvent,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
  type Subscription,
} from '@burndown/ports';
import { packPosition, unpackPosition } from './esdb-position';

const RETRY_PAUSE_MS = 500;

/**
 * EventStore on EventStoreDB (the source of truth for every wallet stream in production): a
 * stream per aggregate, expected revisions mapped one to one, WrongExpectedVersion mapped to the
 * port's conflict error, and $all catch-up subscriptions with a server-side filter.
 */
export class EsdbEventStore implements EventStore {
  private readonly subscriptions = new Set<Subscription>();

  private constructor(private readonly client: EventStoreDBClient) {}

  /** Connects and reads one event of $all, so a wrong or unreachable address fails at start. */
  static async connect(connectionString: string): Promise<EsdbEventStore> {
    const client = EventStoreDBClient.connectionString(connectionString);
    try {
      for await (const _ of client.readAll({
        maxCount: 1,
        direction: FORWARDS,
        fromPosition: START,
      }))
        break;
    } catch (error) {
      await client.dispose();
      throw new Error(
        `cannot reach EventStoreDB at ${connectionString}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    return new EsdbEventStore(client);
  }

  async append(
    streamName: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    try {
      const result = await this.client.appendToStream(
        streamName,
        events.map((event) =>
          jsonEvent({
            id: event.eventId,
            type: event.type,
            data: event.data,
            metadata: event.metadata ?? {},
          }),
        ),
        { expectedRevision: expectedRevision as AppendExpectedRevision },
      );
      if (result.position === undefined)
        throw new Error(`EventStoreDB returned no position for the append to ${streamName}`);
      return {
        nextExpectedRevision: result.nextExpectedRevision,
        position: packPosition(result.position),
      };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        const actual = error.actualVersion;
        throw new WrongExpectedRevisionError(
          streamName,
          expectedRevision,
          typeof actual === 'bigint' ? actual : 'no_stream',
        );
      }
      throw error;
    }
  }

  async readStream(
    streamName: string,
    options: ReadStreamOptions = {},
  ): Promise<readonly RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    if (options.maxCount === 0) return [];
    const read = this.client.readStream(streamName, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: options.fromRevision ?? (backwards ? END : START),
      ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
    });
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of read) events.push(toRecorded(resolved));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  subscribeToAll(options: SubscribeToAllOptions, handler: EventHandler): Subscription {
    const streams = options.filter?.streamNamePrefixes ?? [];
    const types = options.filter?.eventTypePrefixes ?? [];
    // The server filters on stream names or on event types, not on either: with both, the client does.
    const serverFilter =
      types.length === 0 && streams.length > 0
        ? streamNameFilter({ prefixes: [...streams] })
        : streams.length === 0 && types.length > 0
          ? eventTypeFilter({ prefixes: [...types] })
          : excludeSystemEvents();
    const passes = (event: RecordedEvent): boolean =>
      (streams.length === 0 && types.length === 0) ||
      streams.some((prefix) => event.streamName.startsWith(prefix)) ||
      types.some((prefix) => event.type.startsWith(prefix));
    const subscription = this.client.subscribeToAll({
      fromPosition:
        options.fromPosition === undefined ? START : unpackPosition(options.fromPosition),
      filter: serverFilter,
    });
    let stopped = false;
    const loop = (async () => {
      for await (const resolved of subscription) {
        if (stopped) break;
        const event = toRecorded(resolved as AllStreamResolvedEvent);
        if (event.streamName.startsWith('$') || !passes(event)) continue;
        for (;;) {
          try {
            await handler(event);
            break;
          } catch (error) {
            options.onError?.(error, event);
            await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
            if (stopped) return;
          }
        }
      }
    })();
    const handle: Subscription = {
      stop: async () => {
        if (stopped) return loop;
        stopped = true;
        this.subscriptions.delete(handle);
        await subscription.unsubscribe();
        await loop.catch(() => undefined);
      },
    };
    this.subscriptions.add(handle);
    return handle;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.client.dispose();
  }
}

function toRecorded(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent {
  const event = resolved.event;
  if (event === undefined) throw new Error('EventStoreDB returned a link to a deleted event');
  if (event.position === undefined)
    throw new Error(
      `EventStoreDB returned ${event.streamId}@${event.revision} without its $all position`,
    );
  return {
    streamName: event.streamId,
    revision: event.revision,
    position: packPosition(event.position),
    eventId: event.id,
    type: event.type,
    data: (event.data ?? {}) as JsonObject,
    metadata: (event.metadata ?? {}) as JsonObject,
    recordedAt: event.created,
  };
}
