import { storeActivity, type EventStore } from '@burndown/ports';

/**
 * The store, with every append counted in the process's `storeActivity` (reported by `GET
 * /health`). The caller gets the store's own promise back, so counting adds no turn of the
 * event loop to an append: group commits batch exactly as they would without it.
 */
export function countingEventStore(store: EventStore): EventStore {
  return {
    append(streamName, events, expectedRevision) {
      const appended = store.append(streamName, events, expectedRevision);
      appended.then(
        () => storeActivity.recordAppend(events.length),
        () => storeActivity.recordAppend(0),
      );
      return appended;
    },
    readStream: (streamName, options) => store.readStream(streamName, options),
    subscribeToAll: (options, handler) => store.subscribeToAll(options, handler),
    close: () => store.close(),
  };
}
