import { Module } from '@nestjs/common';
import { RateCardCatalogueService } from './rate-cards/rate-card-catalogue.service';
import { RateUsageConsumer } from './rate-usage.consumer';
import { RatingRelay } from './rating-relay';

@Module({ providers: [RateCardCatalogueService, RateUsageConsumer, RatingRelay] })
export class RatingModule {}
