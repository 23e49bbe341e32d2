import { Module } from '@nestjs/common';
import { BatchIngestion } from './batch-ingestion';
import { CustomerDirectory } from './customer-directory';
import { EventTimeWindow } from './event-time-window';
import { IngestUsageController } from './ingest-usage.controller';
import { UsagePublisher } from './usage-publisher';

@Module({
  controllers: [IngestUsageController],
  providers: [CustomerDirectory, UsagePublisher, BatchIngestion, EventTimeWindow],
})
export class IngestionModule {}
