import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { MESSAGE_BUS, requests, type JsonValue, type MessageBus, type Subscription } from '@burndown/ports';
import { WalletCommands } from '../wallet-commands.service';

/** Answers "does this customer exist?" for ingestion, which owns no customer data. */
@Injectable()
export class CustomerLookupResponder implements OnApplicationBootstrap, OnModuleDestroy {
  private subscription: Subscription | undefined;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly wallets: WalletCommands,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await this.bus.respond(requests.customerLookup, (payload) => this.lookup(payload));
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.stop();
  }

  private async lookup(payload: JsonValue): Promise<JsonValue> {
    const customerId = (payload as { customerId?: unknown } | null)?.customerId;
    if (typeof customerId !== 'string') return { exists: false };
    // A customer's wallet id is its customer id (one org pool per customer).
    const { state } = await this.wallets.load(customerId);
    return state.status === 'open' ? { exists: true, walletId: state.walletId } : { exists: false };
  }
}
