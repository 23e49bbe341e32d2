import type { EventStore, ReadStreamOptions, RecordedEvent } from '@burndown/ports';

/** Counts the wallet events read and the appends made, to show what a cache or a snapshot spares. */
export class CountingStore {
  walletEventsRead = 0;
  walletReads = 0;
  walletAppends = 0;

  constructor(private readonly inner: EventStore) {}

  asStore(): EventStore {
    return new Proxy(this.inner, {
      get: (target, property, receiver) => {
        if (property === 'readStream') {
          return async (
            streamName: string,
            options?: ReadStreamOptions,
          ): Promise<readonly RecordedEvent[]> => {
            const events = await target.readStream(streamName, options);
            if (streamName.startsWith('wallet-')) {
              this.walletReads++;
              this.walletEventsRead += events.length;
            }
            return events;
          };
        }
        if (property === 'append') {
          return (streamName: string, ...rest: unknown[]) => {
            if (streamName.startsWith('wallet-')) this.walletAppends++;
            return (target.append as (...args: unknown[]) => unknown)(streamName, ...rest);
          };
        }
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
  }
}
