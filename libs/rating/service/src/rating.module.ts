import { Module } from '@nestjs/common';
import { RateUsageConsumer } from './rate-usage.consumer';

@Module({ providers: [RateUsageConsumer] })
export class RatingModule {}
