import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Subscription } from '@burndown/ports';

/** A provider that listens on the bus while the app runs: subscribes at bootstrap, stops on shutdown. */
export abstract class BusSubscription implements OnApplicationBootstrap, OnModuleDestroy {
  private subscription: Subscription | undefined;

  protected abstract subscribe(): Promise<Subscription>;

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await this.subscribe();
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.stop();
  }
}
