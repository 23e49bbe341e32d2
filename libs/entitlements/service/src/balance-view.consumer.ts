import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import {
  MESSAGE_BUS,
  READ_STORE,
  consumerConfigs,
  type MessageBus,
  type ReadStore,
  type Subscription,
} from '@burndown/ports';
import { balanceViewWrite } from './balance-view';

@Injectable()
export class BalanceViewConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private subscription: Subscription | undefined;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await this.bus.consume(consumerConfigs.entitlementsBalances, async (message) => {
      await this.readStore.apply({ writes: [balanceViewWrite(message.payload)] });
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.stop();
  }
}
