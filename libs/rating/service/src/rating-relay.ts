import { Inject, Injectable } from '@nestjs/common';
import {
  EVENT_STORE,
  MESSAGE_BUS,
  READ_STORE,
  subjects,
  type EventStore,
  type MessageBus,
  type ReadStore,
  type RecordedEvent,
} from '@burndown/ports';
import { CheckpointedSubscriber, traceOf, type Handled } from '@burndown/runtime';
import { ratingEventCodec, type UsageRated } from '@burndown/rating-domain';
import { RATING_STREAM_PREFIX, customerOfRatingStream } from './rate-cards/rate-card-streams';
import { RATED_USAGE_COLLECTION, ratedUsageWrite } from './rated-usage';

export const RATING_RELAY = 'rating.relay';

/**
 * Rating streams → a debit per rated event on `debits.<walletId>` (message id = usage event id, so
 * a re-publish after a crash is dropped by the bus and the wallet debits once), and the rated-usage
 * read model, moved with the checkpoint after the publish.
 */
@Injectable()
export class RatingRelay extends CheckpointedSubscriber {
  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(READ_STORE) readStore: ReadStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
  ) {
    super(store, readStore, RATING_RELAY, RATING_STREAM_PREFIX);
  }

  override async onApplicationBootstrap(): Promise<void> {
    // Margins read one customer's usage; previews read one card's.
    await this.readStore.declareIndexes(RATED_USAGE_COLLECTION, [['customerId'], ['cardId']]);
    await super.onApplicationBootstrap();
  }

  protected async handleRecorded(recorded: RecordedEvent): Promise<Handled | undefined> {
    const event = ratingEventCodec.decode(recorded.type, recorded.data);
    if (event.type !== 'UsageRated') return undefined;
    const customerId = customerOfRatingStream(recorded.streamName);
    // Published at once, many in flight; the checkpoint passes the event only after its ack.
    return {
      effect: this.publishDebit(customerId, event, recorded),
      writes: [ratedUsageWrite(customerId, event, recorded)],
    };
  }

  private publishDebit(
    customerId: string,
    event: UsageRated,
    recorded: RecordedEvent,
  ): Promise<unknown> {
    const { data } = event;
    // One org-pool wallet per customer, named after it.
    const walletId = customerId;
    return this.bus.publish(
      subjects.debit(walletId),
      {
        usageEventId: data.usageEventId,
        walletId,
        customerId,
        usageType: data.usageType,
        quantity: data.quantity,
        amount: data.credits.toString(),
        ruleId: data.lines.map((line) => line.ruleId).join(','),
        cardId: data.cardId,
        cardVersion: data.cardVersion,
        occurredAt: data.occurredAt.toISOString(),
      },
      {
        msgId: data.usageEventId,
        headers: {
          causationId: recorded.eventId,
          ...correlation(recorded),
          ...traceOf(recorded.metadata),
        },
      },
    );
  }
}

const correlation = (recorded: RecordedEvent): Record<string, string> =>
  typeof recorded.metadata['correlationId'] === 'string'
    ? { correlationId: recorded.metadata['correlationId'] }
    : {};
