import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { EVENT_STORE, type EventStore, type JsonObject } from '@burndown/ports';
import {
  BURNDOWN_CONFIG,
  handleCommand,
  loadStream,
  snapshotPolicy,
  type BurndownConfig,
  type SnapshotPolicy,
} from '@burndown/runtime';
import { ratingDecider, ratingEventCodec, ratingStateCodec, type RatingCommand, type RatingState } from '@burndown/rating-domain';
import { ratingStream } from './rate-cards/rate-card-streams';

/** The one way into a customer's rating stream, snapshotted like wallets so a load stays short. */
@Injectable()
export class RatingStreams {
  private readonly logger = new Logger(RatingStreams.name);
  private readonly snapshots: SnapshotPolicy<RatingState>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(BURNDOWN_CONFIG) config?: Pick<BurndownConfig, 'snapshotEvery'>,
  ) {
    this.snapshots = snapshotPolicy(ratingStateCodec, config, (message) => this.logger.warn(message));
  }

  execute(customerId: string, command: RatingCommand, metadata: JsonObject) {
    return handleCommand(this.store, ratingStream(customerId), ratingDecider, ratingEventCodec, command, {
      metadata: { ...metadata, commandId: command.commandId },
      snapshots: this.snapshots,
    });
  }

  async load(customerId: string): Promise<RatingState> {
    return (await loadStream(this.store, ratingStream(customerId), ratingDecider, ratingEventCodec, this.snapshots)).state;
  }
}
