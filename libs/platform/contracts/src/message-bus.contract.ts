import type { MessageBus } from '@burndown/ports';
import { describeConsumeContract } from './message-bus-consume.contract';
import { describePublishContract } from './message-bus-publish.contract';
import { describeRequestReplyContract } from './message-bus-request.contract';

export interface MessageBusUnderTest {
  readonly bus: MessageBus;
  /** Closes the bus and whatever the factory opened for it. */
  teardown(): Promise<void>;
}

const FACTORY_TIMEOUT_MS = 120_000;

/**
 * The behaviour every MessageBus adapter must show (DESIGN.md §3, §5). Each test makes its own
 * stream and durable names, so the suite also runs against a shared, long-lived server.
 */
export function describeMessageBusContract(
  adapterName: string,
  factory: () => Promise<MessageBusUnderTest>,
): void {
  describe(`MessageBus contract: ${adapterName}`, () => {
    let underTest: MessageBusUnderTest | undefined;
    const bus = (): MessageBus => {
      if (underTest === undefined) throw new Error(`${adapterName}: the factory has not run`);
      return underTest.bus;
    };

    beforeAll(async () => {
      underTest = await factory();
    }, FACTORY_TIMEOUT_MS);

    afterAll(async () => {
      await underTest?.teardown();
    });

    describePublishContract(bus);
    describeConsumeContract(bus);
    describeRequestReplyContract(bus);
  });
}
