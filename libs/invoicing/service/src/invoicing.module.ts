import { Module } from '@nestjs/common';

/**
 * Invoicing joins with plans, credit packs and revenue recognition (a later issue). It already
 * runs as its own service so the topology and deployment are in place from the start.
 */
@Module({})
export class InvoicingModule {}
