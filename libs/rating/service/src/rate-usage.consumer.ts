import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InvalidDecimalError } from '@burndown/money';
import {
  MESSAGE_BUS,
  PermanentFailure,
  consumerConfigs,
  subjects,
  type BusMessage,
  type MessageBus,
  type Subscription,
} from '@burndown/ports';
import { rateWithFlatRule } from '@burndown/rating-domain';
import { parseUsageMessage } from './usage-message';

/**
 * Usage → rated debit for the customer's wallet. Stateless for now, so consume, publish, ack is
 * safe: a crash before the ack re-publishes with the same message id, which the bus drops.
 */
@Injectable()
export class RateUsageConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private subscription: Subscription | undefined;

  constructor(@Inject(MESSAGE_BUS) private readonly bus: MessageBus) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await this.bus.consume(consumerConfigs.rating, (message) => this.rate(message));
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.stop();
  }

  private async rate(message: BusMessage): Promise<void> {
    const usage = parseUsageMessage(message.payload);
    const rated = rateOrFail(usage.id, usage.type, usage.quantity);
    // One org-pool wallet per customer, named after it.
    const walletId = usage.customerId;
    await this.bus.publish(
      subjects.debit(walletId),
      {
        usageEventId: usage.id,
        walletId,
        customerId: usage.customerId,
        usageType: usage.type,
        quantity: usage.quantity,
        amount: rated.amount.toString(),
        ruleId: rated.ruleId,
        occurredAt: usage.timestamp,
      },
      { msgId: usage.id, headers: { ...message.headers, causationId: message.msgId } },
    );
  }
}

function rateOrFail(usageEventId: string, usageType: string, quantity: string) {
  try {
    return rateWithFlatRule({ usageEventId, usageType, quantity });
  } catch (error) {
    if (error instanceof InvalidDecimalError) throw new PermanentFailure(`cannot rate ${usageEventId}: ${error.message}`);
    throw error;
  }
}
