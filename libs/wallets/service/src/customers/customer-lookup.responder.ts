import { BusSubscription } from '@burndown/runtime';
import { Inject, Injectable } from '@nestjs/common';
import { MESSAGE_BUS, requests, type JsonValue, type MessageBus, type Subscription } from '@burndown/ports';
import { WalletCommands } from '../wallet-commands.service';

/** Answers "does this customer exist?" for ingestion, which owns no customer data. */
@Injectable()
export class CustomerLookupResponder extends BusSubscription {
  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly wallets: WalletCommands,
  ) {
    super();
  }

  protected subscribe(): Promise<Subscription> {
    return this.bus.respond(requests.customerLookup, (payload) => this.lookup(payload));
  }

  private async lookup(payload: JsonValue): Promise<JsonValue> {
    const customerId = (payload as { customerId?: unknown } | null)?.customerId;
    if (typeof customerId !== 'string') return { exists: false };
    // A customer's wallet id is its customer id (one org pool per customer).
    const { state } = await this.wallets.load(customerId);
    return state.status === 'open' ? { exists: true, walletId: state.walletId } : { exists: false };
  }
}
