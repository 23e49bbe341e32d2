import { Module } from '@nestjs/common';
import { CustomerRateCardController } from './rate-cards/customer-rate-card.controller';
import { RateCardCatalogueService } from './rate-cards/rate-card-catalogue.service';
import { RateCardPreviews } from './rate-cards/rate-card-previews';
import { RateCardsController } from './rate-cards/rate-cards.controller';
import { MarginsController } from './margins.controller';
import { RateUsageConsumer } from './rate-usage.consumer';
import { RatingRelay } from './rating-relay';
import { RatingStreams } from './rating-streams.service';

@Module({
  controllers: [RateCardsController, CustomerRateCardController, MarginsController],
  providers: [RateCardCatalogueService, RatingStreams, RateCardPreviews, RateUsageConsumer, RatingRelay],
})
export class RatingModule {}
