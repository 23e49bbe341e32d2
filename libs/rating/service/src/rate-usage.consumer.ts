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
import { BusSubscription, traceOf } from '@burndown/runtime';
import { RatingRefused, type RatingCommand, type Usage } from '@burndown/rating-domain';
import { CardNotLoaded, RateCardCatalogueService } from './rate-cards/rate-card-catalogue.service';
import { RatingStreams } from './rating-streams.service';
import { parseUsageMessage } from './usage-message';

/**
 * Usage → a UsageRated event on the customer's rating stream (its period counters move with it).
 * The rating relay, not this handler, publishes the debit: no dual write. A usage event that
 * cannot be rated is a permanent failure, dead-lettered with the reason and re-drivable.
 */
@Injectable()
export class RateUsageConsumer extends BusSubscription {
  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly cards: RateCardCatalogueService,
    private readonly streams: RatingStreams,
  ) {
    super();
  }

  protected subscribe(): Promise<Subscription> {
    return this.bus.consume(consumerConfigs.rating, (message) => this.rate(message));
  }

  private async rate(message: BusMessage): Promise<void> {
    const usage = parseUsageMessage(message.payload);
    for (;;) {
      try {
        await this.rateOnce(usage, message);
        return;
      } catch (error) {
        if (error instanceof CardNotLoaded) {
          await this.cards.load(error.cardId);
          continue;
        }
        if (error instanceof RatingRefused)
          throw new PermanentFailure(
            `cannot rate ${usage.usageEventId} (${error.code}): ${error.message}`,
          );
        throw error;
      }
    }
  }

  private rateOnce(usage: Usage, message: BusMessage) {
    const command: RatingCommand = {
      type: 'RateUsage',
      commandId: `usage:${usage.usageEventId}`,
      at: this.clock.now(),
      usage,
      cards: this.cards.resolve,
    };
    return this.streams.execute(usage.customerId, command, {
      correlationId: message.headers['correlationId'] ?? usage.usageEventId,
      causationId: message.msgId,
      ...traceOf(message.headers),
    });
  }
}
