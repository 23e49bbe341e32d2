import { Module } from '@nestjs/common';
import { CustomerDirectory } from './customer-directory';
import { IngestUsageController } from './ingest-usage.controller';

@Module({ controllers: [IngestUsageController], providers: [CustomerDirectory] })
export class IngestionModule {}
