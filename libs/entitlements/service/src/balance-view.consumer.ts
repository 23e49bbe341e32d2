import { Inject, Injectable } from '@nestjs/common';
import {
  MESSAGE_BUS,
  READ_STORE,
  consumerConfigs,
  type MessageBus,
  type ReadStore,
  type Subscription,
} from '@burndown/ports';
import { BusSubscription, GroupedWrites } from '@burndown/runtime';
import { balanceViewWrite } from './balance-view';

/** balance-changed → the balance view; many messages in flight, their writes applied together. */
@Injectable()
export class BalanceViewConsumer extends BusSubscription {
  private readonly writes: GroupedWrites;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(READ_STORE) readStore: ReadStore,
  ) {
    super();
    this.writes = new GroupedWrites(readStore);
  }

  protected subscribe(): Promise<Subscription> {
    return this.bus.consume(consumerConfigs.entitlementsBalances, (message) =>
      this.writes.write([balanceViewWrite(message.payload)]),
    );
  }
}
