import { Module } from '@nestjs/common';
import { RevenuePeriods } from './revenue/revenue-periods';
import { RevenueProjectionConsumer } from './revenue/revenue-projection.consumer';
import { RevenueController } from './revenue/revenue.controller';
import { RevenueReports } from './revenue/revenue-reports';

/** Revenue reports and month closing over HTTP, from the journal the pipeline keeps. */
@Module({ controllers: [RevenueController], providers: [RevenuePeriods, RevenueReports] })
export class InvoicingApiModule {}

/** Wallet events → the revenue journal (recognition by cost basis; never wallet streams). */
@Module({ providers: [RevenuePeriods, RevenueProjectionConsumer] })
export class InvoicingPipelineModule {}

/**
 * Invoicing whole, as one process or one thread hosts it: for now revenue recognition; plans,
 * invoices and payments join it.
 */
@Module({ imports: [InvoicingApiModule, InvoicingPipelineModule] })
export class InvoicingModule {}
