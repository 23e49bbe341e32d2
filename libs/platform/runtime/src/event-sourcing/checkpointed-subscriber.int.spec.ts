import { randomUUID } from 'node:crypto';
import { EmbeddedDatabase, SqliteEventStore, SqliteReadStore } from '@burndown/embedded';
import type { EventStore, ReadStore, RecordedEvent } from '@burndown/ports';
import { eventually } from '@burndown/testing';
import { CheckpointedSubscriber, type Handled } from './checkpointed-subscriber';

/** Publishes each event's id (an effect that can fail) and writes a document per event. */
class RecordingSubscriber extends CheckpointedSubscriber {
  readonly published: string[] = [];
  failNext = 0;

  constructor(store: EventStore, readStore: ReadStore) {
    super(store, readStore, 'test.recording', 'thing-');
  }

  protected async handleRecorded(recorded: RecordedEvent): Promise<Handled> {
    const fail = this.failNext > 0;
    if (fail) this.failNext--;
    const effect = fail
      ? Promise.reject(new Error('bus unavailable'))
      : Promise.resolve(this.published.push(recorded.eventId));
    return {
      effect,
      writes: [
        {
          collection: 'things',
          id: recorded.eventId,
          document: { stream: recorded.streamName },
          version: recorded.revision,
        },
      ],
    };
  }
}

describe('checkpointed subscriber: per-event handling, batched writes', () => {
  let database: EmbeddedDatabase;
  let store: SqliteEventStore;
  let readStore: SqliteReadStore;

  beforeEach(async () => {
    database = await EmbeddedDatabase.open();
    store = await SqliteEventStore.create(database);
    readStore = await SqliteReadStore.create(database);
  });
  afterEach(() => database?.close());

  // Ten events per append, spread over seven streams.
  const appendThings = async (count: number) => {
    for (let n = 0; n < count; n += 10) {
      const events = Array.from({ length: Math.min(10, count - n) }, (_, i) => ({
        eventId: randomUUID(),
        type: 'ThingHappened',
        data: { n: n + i },
      }));
      await store.append(`thing-${(n / 10) % 7}`, events, 'any');
    }
  };
  const allEvents = async () =>
    (await Promise.all(Array.from({ length: 7 }, (_, n) => store.readStream(`thing-${n}`)))).flat();
  const documents = async () => {
    let count = 0;
    let after: string | undefined;
    do {
      const page = await readStore.find('things', {
        limit: 500,
        ...(after === undefined ? {} : { after }),
      });
      count += page.items.length;
      after = page.nextCursor;
    } while (after !== undefined);
    return count;
  };

  it('writes every event and leaves the checkpoint at the last one, in far fewer applies than events', async () => {
    await appendThings(1_200);
    let applies = 0;
    const apply = readStore.apply.bind(readStore);
    readStore.apply = (batch) => {
      applies++;
      return apply(batch);
    };
    const subscriber = new RecordingSubscriber(store, readStore);
    await subscriber.onApplicationBootstrap();
    await eventually(async () => expect(await documents()).toBe(1_200), 10_000);
    const lastPosition = (await allEvents()).reduce(
      (max, event) => (event.position > max ? event.position : max),
      0n,
    );
    await eventually(
      async () => expect(await readStore.checkpoint('test.recording')).toBe(lastPosition),
      5_000,
    );
    expect(applies).toBeLessThan(60);
    await subscriber.onModuleDestroy();
  });

  it('walks again from the checkpoint when an effect fails, so no event is skipped', async () => {
    await appendThings(50);
    const subscriber = new RecordingSubscriber(store, readStore);
    subscriber.failNext = 1;
    await subscriber.onApplicationBootstrap();
    await eventually(async () => expect(await documents()).toBe(50), 10_000);
    const all = await allEvents();
    // Every event published at least once, the failed one included.
    expect(new Set(subscriber.published)).toEqual(new Set(all.map((event) => event.eventId)));
    await subscriber.onModuleDestroy();
  });

  it('flushes what it handled when the module stops', async () => {
    await appendThings(30);
    const subscriber = new RecordingSubscriber(store, readStore);
    await subscriber.onApplicationBootstrap();
    await eventually(async () => expect(subscriber.published.length).toBe(30), 5_000);
    await subscriber.onModuleDestroy();
    expect(await documents()).toBe(30);
  });
});
