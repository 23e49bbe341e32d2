import type { EventStore } from '@burndown/ports';
import { describeAppendAndReadContract } from './event-store-append.contract';
import { describeSubscriptionContract } from './event-store-subscription.contract';
import { describeAdapterContract, type AdapterUnderTest } from './store-contract-support';

export type EventStoreUnderTest = AdapterUnderTest<EventStore>;

/**
 * The behaviour every EventStore adapter must show (DESIGN.md §5). The factory runs once; each
 * test uses its own random stream names, so the suite also runs against a shared server.
 */
export function describeEventStoreContract(
  adapterName: string,
  factory: () => Promise<EventStoreUnderTest>,
): void {
  describeAdapterContract(`EventStore contract: ${adapterName}`, factory, (store) => {
    describeAppendAndReadContract(store);
    describeSubscriptionContract(store);
  });
}
