import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { EVENT_STORE, type EventStore, type JsonObject } from '@burndown/ports';
import {
  BURNDOWN_CONFIG,
  DEFAULT_STREAM_CACHE_SIZE,
  StreamWriter,
  loadStream,
  snapshotPolicy,
  type BurndownConfig,
  type SnapshotPolicy,
} from '@burndown/runtime';
import {
  ratingDecider,
  ratingEventCodec,
  ratingStateCodec,
  type RatingCommand,
  type RatingEvent,
  type RatingState,
} from '@burndown/rating-domain';
import { ratingStream } from './rate-cards/rate-card-streams';

/** The one way into a customer's rating stream, snapshotted like wallets so a load stays short. */
@Injectable()
export class RatingStreams {
  private readonly logger = new Logger(RatingStreams.name);
  private readonly snapshots: SnapshotPolicy<RatingState>;
  private readonly writer: StreamWriter<RatingCommand, RatingEvent, RatingState>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional()
    @Inject(BURNDOWN_CONFIG)
    config?: Pick<BurndownConfig, 'snapshotEvery'> &
      Partial<Pick<BurndownConfig, 'streamCacheSize'>>,
  ) {
    this.snapshots = snapshotPolicy(ratingStateCodec, config, (message) =>
      this.logger.warn(message),
    );
    this.writer = new StreamWriter(store, ratingDecider, ratingEventCodec, {
      snapshots: this.snapshots,
      cacheSize: config?.streamCacheSize ?? DEFAULT_STREAM_CACHE_SIZE,
    });
  }

  /** Usage of one customer arriving together is rated in order and appended as one write. */
  execute(customerId: string, command: RatingCommand, metadata: JsonObject) {
    return this.writer.execute(ratingStream(customerId), command, {
      ...metadata,
      commandId: command.commandId,
    });
  }

  async load(customerId: string): Promise<RatingState> {
    return (
      await loadStream(
        this.store,
        ratingStream(customerId),
        ratingDecider,
        ratingEventCodec,
        this.snapshots,
      )
    ).state;
  }
}
