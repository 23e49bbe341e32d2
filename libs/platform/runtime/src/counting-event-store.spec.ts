import {
  storeActivity,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '@burndown/ports';
import { countingEventStore } from './counting-event-store';

/** Just enough of a store: appends to one stream, refusing a wrong expected revision. */
function fakeStore(): EventStore & { closed: boolean } {
  const recorded: RecordedEvent[] = [];
  return {
    closed: false,
    async append(streamName, events, expectedRevision) {
      const actual = recorded.length === 0 ? 'no_stream' : BigInt(recorded.length - 1);
      if (expectedRevision !== 'any' && expectedRevision !== actual)
        throw new WrongExpectedRevisionError(streamName, expectedRevision, actual);
      for (const event of events) {
        const revision = BigInt(recorded.length);
        recorded.push({
          streamName,
          revision,
          position: revision,
          eventId: event.eventId,
          type: event.type,
          data: event.data,
          metadata: {},
          recordedAt: new Date(0),
        });
      }
      return {
        nextExpectedRevision: BigInt(recorded.length - 1),
        position: BigInt(recorded.length - 1),
      } satisfies AppendResult;
    },
    async readStream() {
      return recorded;
    },
    subscribeToAll() {
      return { stop: async () => undefined };
    },
    async close() {
      this.closed = true;
    },
  };
}

const events = (count: number, from = 0): NewEvent[] =>
  Array.from({ length: count }, (_, index) => ({
    eventId: `e${from + index}`,
    type: 'Counted',
    data: { index: from + index },
  }));

describe('countingEventStore', () => {
  it('counts each append and the events it stored', async () => {
    const store = countingEventStore(fakeStore());
    const before = storeActivity.snapshot();
    const first = await store.append('counter-1', events(3), 'no_stream');
    await store.append('counter-1', events(2, 3), first.nextExpectedRevision);
    expect(storeActivity.appends - before.appends).toBe(2);
    expect(storeActivity.appendedEvents - before.appendedEvents).toBe(5);
  });

  it('counts a refused append as an append that stored nothing, and still refuses it', async () => {
    const store = countingEventStore(fakeStore());
    await store.append('counter-1', events(1), 'no_stream');
    const before = storeActivity.snapshot();
    await expect(store.append('counter-1', events(1, 1), 'no_stream')).rejects.toBeInstanceOf(
      WrongExpectedRevisionError,
    );
    expect(storeActivity.snapshot()).toEqual({
      appends: before.appends + 1,
      appendedEvents: before.appendedEvents,
    });
  });

  it('hands back the store’s own answers and counts nothing else', async () => {
    const inner = fakeStore();
    const store = countingEventStore(inner);
    await store.append('counter-1', events(2), 'no_stream');
    const before = storeActivity.snapshot();
    expect((await store.readStream('counter-1')).map((event) => event.eventId)).toEqual([
      'e0',
      'e1',
    ]);
    await store.subscribeToAll({}, async () => undefined).stop();
    await store.close();
    expect(inner.closed).toBe(true);
    expect(storeActivity.snapshot()).toEqual(before);
  });

  it('adds no turn of the event loop: the caller gets the store’s own promise', () => {
    const inner = fakeStore();
    const answer = Promise.resolve({ nextExpectedRevision: 0n, position: 0n });
    inner.append = () => answer;
    expect(countingEventStore(inner).append('counter-1', events(1), 'any')).toBe(answer);
  });
});
