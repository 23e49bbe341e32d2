import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore, type Subscription } from '@burndown/ports';
import { foldRecorded } from '@burndown/runtime';
import {
  BUILT_IN_DEFAULT_CARD,
  DEFAULT_CARD_ID,
  RateCardCatalogue,
  rateCardDecider,
  rateCardEventCodec,
  readRateCard,
  type CompiledCard,
  type PublishedDefinition,
  type RateOverride,
} from '@burndown/rating-domain';
import { RATE_CARD_STREAM_PREFIX, rateCardStream } from './rate-card-streams';

/** The resolver met a card this process has not read yet: load it, then rate again. */
export class CardNotLoaded extends Error {
  override readonly name = 'CardNotLoaded';
  constructor(readonly cardId: string) {
    super(`rate card ${cardId} is not loaded yet`);
  }
}

/**
 * Every published rate card version this process rates with. A card is read from its stream the
 * first time it is needed; versions published here are added at once, and a live subscription
 * adds those published by other processes.
 */
@Injectable()
export class RateCardCatalogueService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RateCardCatalogueService.name);
  private readonly catalogue = new RateCardCatalogue();
  private readonly loaded = new Set<string>();
  private subscription: Subscription | undefined;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  onApplicationBootstrap(): void {
    this.subscription = this.store.subscribeToAll(
      { filter: { streamNamePrefixes: [RATE_CARD_STREAM_PREFIX] } },
      async (recorded) => {
        const event = rateCardEventCodec.decode(recorded.type, recorded.data);
        if (event.type !== 'RateCardPublished') return;
        const cardId = recorded.streamName.slice(RATE_CARD_STREAM_PREFIX.length);
        if (this.loaded.has(cardId))
          this.add(cardId, { ...event.data, publishedAt: event.data.at });
      },
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.stop();
  }

  /** For the rating decider; throws CardNotLoaded for a card not read yet. */
  resolve = (cardId: string, at: Date, override: RateOverride | null): CompiledCard | undefined => {
    if (!this.loaded.has(cardId)) throw new CardNotLoaded(cardId);
    return this.catalogue.resolve(cardId, at, override);
  };

  /** Reads a card this process has not read yet; a no-op for one it has. */
  async ensureLoaded(cardId: string): Promise<void> {
    if (!this.loaded.has(cardId)) await this.load(cardId);
  }

  async load(cardId: string): Promise<void> {
    const history = foldRecorded(
      await this.store.readStream(rateCardStream(cardId)),
      rateCardDecider,
      rateCardEventCodec,
    );
    for (const version of history.versions) this.add(cardId, version);
    if (cardId === DEFAULT_CARD_ID) {
      // Until an operator publishes a default card, every customer is rated by the built-in one.
      this.catalogue.publish(cardId, {
        version: 0,
        effectiveFrom: new Date(0),
        card: readRateCard(BUILT_IN_DEFAULT_CARD),
      });
    }
    this.loaded.add(cardId);
  }

  /** A version this process just published: rated with from now on, without waiting for the subscription. */
  async addPublished(cardId: string, published: PublishedDefinition): Promise<void> {
    if (this.loaded.has(cardId)) this.add(cardId, published);
    else await this.load(cardId);
  }

  add(cardId: string, published: PublishedDefinition): void {
    try {
      this.catalogue.publish(cardId, {
        version: published.version,
        effectiveFrom: published.effectiveFrom,
        card: readRateCard(published.definition),
      });
    } catch (error) {
      this.logger.error(
        `rate card ${cardId} v${published.version} cannot be read: ${String(error)}`,
      );
    }
  }
}
