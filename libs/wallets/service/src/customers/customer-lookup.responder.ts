import { BusSubscription } from '@burndown/runtime';
import { Inject, Injectable } from '@nestjs/common';
import {
  MESSAGE_BUS,
  READ_STORE,
  requests,
  type JsonValue,
  type MessageBus,
  type ReadStore,
  type Subscription,
} from '@burndown/ports';
import { BALANCE_COLLECTION } from '../ledger/ledger-entry';
import { WalletCommands } from '../wallet-commands.service';

/**
 * Answers "does this customer exist?" for ingestion, which owns no customer data, without loading
 * a wallet stream: from the wallet's writer when it holds the wallet (a customer created a moment
 * ago is there), else from the balances read model (every open wallet has a balance document).
 */
@Injectable()
export class CustomerLookupResponder extends BusSubscription {
  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
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
    const cached = this.wallets.cached(customerId)?.state;
    if (cached?.status === 'open') return { exists: true, walletId: cached.walletId };
    const balance = await this.readStore.get(BALANCE_COLLECTION, customerId);
    return balance === undefined ? { exists: false } : { exists: true, walletId: customerId };
  }
}
