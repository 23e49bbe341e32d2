import { BURNDOWN_CONFIG, BusSubscription, traceOf, type BurndownConfig } from '@burndown/runtime';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  CLOCK,
  MESSAGE_BUS,
  DEBIT_PARTITIONS,
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
 * Rated usage → wallet debit, from the debit partitions this process owns. The usage event id is
 * the command id, so a redelivered message is recognised by the wallet and burns nothing twice.
 * Many messages are in flight at once; the wallet's writer groups those of one wallet per append.
 */
@Injectable()
export class DebitUsageConsumer extends BusSubscription {
  private readonly logger = new Logger(DebitUsageConsumer.name);

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(BURNDOWN_CONFIG)
    private readonly config: Pick<BurndownConfig, 'walletPartitions' | 'bus'>,
    private readonly wallets: WalletCommands,
  ) {
    super();
  }

  protected async subscribe(): Promise<Subscription> {
    const partitions = this.config.walletPartitions;
    // On the embedded bus one process owns every partition: one durable for all of them wakes,
    // scans and claims once per commit instead of once per partition (measured: p99 at 2,400/s
    // 93–197 ms against 169–381 ms, ~10 % less CPU per event).
    if (this.config.bus === 'embedded' && partitions.length === DEBIT_PARTITIONS) {
      this.logger.log('consuming every debit partition with one durable');
      return this.bus.consume(consumerConfigs.walletsAllPartitions, (message) =>
        this.debit(message),
      );
    }
    const subscriptions = await Promise.all(
      partitions.map((partition) =>
        this.bus.consume(consumerConfigs.walletsPartition(partition), (message) =>
          this.debit(message),
        ),
      ),
    );
    this.logger.log(`consuming debit partitions ${partitions.join(',')}`);
    return {
      stop: async () =>
        void (await Promise.all(subscriptions.map((subscription) => subscription.stop()))),
    };
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
          occurredAt: debit.occurredAt,
          // Rated usage was spent compute: booked even when credits cannot cover it.
          alreadyHappened: true,
          at: this.clock.now(),
        },
        {
          correlationId: message.headers['correlationId'] ?? debit.usageEventId,
          causationId: message.msgId,
          ...traceOf(message.headers),
        },
      );
    } catch (error) {
      // A refusal (the wallet is not open, the amount is invalid) will not change on retry: park
      // it on the dead-letter stream with its reason.
      if (error instanceof WalletCommandRejected)
        throw new PermanentFailure(`wallet ${debit.walletId}: ${error.message}`);
      throw error;
    }
  }
}
