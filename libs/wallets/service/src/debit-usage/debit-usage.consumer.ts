import { BusSubscription, traceOf } from '@burndown/runtime';
import { Inject, Injectable } from '@nestjs/common';
import {
  CLOCK,
  MESSAGE_BUS,
  PermanentFailure,
  consumerConfigs,
  type BusMessage,
  type Clock,
  type MessageBus,
  type Subscription,
} from '@burndown/ports';
import { WalletCommandRejected } from '@burndown/wallet-domain';
import { WalletCommands } from '../wallet-commands.service';
import { parseDebitMessage } from './debit-message';

/**
 * Rated usage → wallet debit. The usage event id is the command id, so a redelivered message is
 * recognised by the wallet and burns nothing twice.
 */
@Injectable()
export class DebitUsageConsumer extends BusSubscription {
  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly wallets: WalletCommands,
  ) {
    super();
  }

  protected subscribe(): Promise<Subscription> {
    return this.bus.consume(consumerConfigs.wallets, (message) => this.debit(message));
  }

  private async debit(message: BusMessage): Promise<void> {
    const debit = parseDebitMessage(message.payload);
    try {
      await this.wallets.execute(
        debit.walletId,
        {
          type: 'DebitUsage',
          commandId: `usage:${debit.usageEventId}`,
          usageEventId: debit.usageEventId,
          feature: debit.usageType,
          amount: debit.amount,
          at: this.clock.now(),
        },
        { correlationId: message.headers['correlationId'] ?? debit.usageEventId, causationId: message.msgId, ...traceOf(message.headers) },
      );
    } catch (error) {
      // A refusal will not change on retry: park it on the dead-letter stream with its reason.
      if (error instanceof WalletCommandRejected) throw new PermanentFailure(`wallet ${debit.walletId}: ${error.message}`);
      throw error;
    }
  }
}
