import type { EventStore } from '@burndown/ports';
import { describeAppendAndReadContract } from './event-store-append.contract';
import { describeSubscriptionContract } from './event-store-subscription.contract';

export interface EventStoreUnderTest {
  readonly store: EventStore;
  /** Closes the store and whatever the factory opened for it. */
  teardown(): Promise<void>;
}

/** Time for a factory to start its server (a container can take a while). */
const FACTORY_TIMEOUT_MS = 120_000;

/**
 * The behaviour every EventStore adapter must show (DESIGN.md §5). The factory runs once; each
 * test uses its own random stream names, so the suite also runs against a shared server.
 */
export function describeEventStoreContract(
  adapterName: string,
  factory: () => Promise<EventStoreUnderTest>,
): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    let underTest: EventStoreUnderTest | undefined;
    const store = (): EventStore => {
      if (underTest === undefined) throw new Error(`${adapterName}: the factory has not run`);
      return underTest.store;
    };

    beforeAll(async () => {
      underTest = await factory();
    }, FACTORY_TIMEOUT_MS);

    afterAll(async () => {
      await underTest?.teardown();
    });

    describeAppendAndReadContract(store);
    describeSubscriptionContract(store);
  });
}
