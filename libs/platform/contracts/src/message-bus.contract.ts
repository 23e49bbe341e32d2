import type { MessageBus } from '@burndown/ports';
import { describeCadenceContract } from './message-bus-cadence.contract';
import { describeConsumeContract } from './message-bus-consume.contract';
import { describePublishContract } from './message-bus-publish.contract';
import { describeRequestReplyContract } from './message-bus-request.contract';
import { describeAdapterContract, type AdapterUnderTest } from './store-contract-support';

export type MessageBusUnderTest = AdapterUnderTest<MessageBus>;

/**
 * The behaviour every MessageBus adapter must show (DESIGN.md §3, §5). Each test makes its own
 * stream and durable names, so the suite also runs against a shared, long-lived server.
 */
export function describeMessageBusContract(
  adapterName: string,
  factory: () => Promise<MessageBusUnderTest>,
): void {
  describeAdapterContract(`MessageBus contract: ${adapterName}`, factory, (bus) => {
    describePublishContract(bus);
    describeConsumeContract(bus);
    describeCadenceContract(bus);
    describeRequestReplyContract(bus);
  });
}
