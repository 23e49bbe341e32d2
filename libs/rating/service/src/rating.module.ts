import { Module } from '@nestjs/common';
import { CustomerRateCardController } from './rate-cards/customer-rate-card.controller';
import { RateCardCatalogueService } from './rate-cards/rate-card-catalogue.service';
import { RateCardPreviews } from './rate-cards/rate-card-previews';
import { RateCardsController } from './rate-cards/rate-cards.controller';
import { MarginsController } from './margins.controller';
import { RateUsageConsumer } from './rate-usage.consumer';
import { RatingRelay } from './rating-relay';
import { RatingStreams } from './rating-streams.service';

/** What rating's API and its pipeline both use: one instance per thread that hosts either. */
@Module({
  providers: [RateCardCatalogueService, RatingStreams],
  exports: [RateCardCatalogueService, RatingStreams],
})
export class RatingCoreModule {}

/** Rating's HTTP API: rate cards, customers' cards, margins. */
@Module({
  imports: [RatingCoreModule],
  controllers: [RateCardsController, CustomerRateCardController, MarginsController],
  providers: [RateCardPreviews],
})
export class RatingApiModule {}

/** Rating's pipeline: usage → rating streams → debits and the rated-usage read model. */
@Module({ imports: [RatingCoreModule], providers: [RateUsageConsumer, RatingRelay] })
export class RatingPipelineModule {}

/** The rating service whole, as one process or one thread hosts it. */
@Module({ imports: [RatingApiModule, RatingPipelineModule] })
export class RatingModule {}
