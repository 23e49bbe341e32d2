import { Module } from '@nestjs/common';
import { Invoices } from './invoices/invoices';
import { InvoicesController } from './invoices/invoices.controller';
import { PaidInvoiceGrants } from './invoices/paid-invoice-grants';
import { StripeWebhookController } from './payments/stripe-webhook.controller';
import { PackPurchasesController } from './plans/pack-purchases.controller';
import { PlanCatalogue } from './plans/plan-catalogue';
import { PlansController } from './plans/plans.controller';
import { SubscriptionBilling } from './plans/subscription-billing';
import { OverageBilling } from './overage/overage-billing';
import { RefundCreditNotes } from './credit-notes/refund-credit-notes';
import { Subscriptions } from './plans/subscriptions';
import { SubscriptionsController } from './plans/subscriptions.controller';
import { RevenuePeriods } from './revenue/revenue-periods';
import { RevenueProjectionConsumer } from './revenue/revenue-projection.consumer';
import { RevenueController } from './revenue/revenue.controller';
import { RevenueReports } from './revenue/revenue-reports';

/** Plans, subscriptions and invoices; revenue reports and month closing, from the journal the pipeline keeps. */
@Module({
  controllers: [
    PlansController,
    SubscriptionsController,
    PackPurchasesController,
    InvoicesController,
    StripeWebhookController,
    RevenueController,
  ],
  providers: [PlanCatalogue, Subscriptions, Invoices, RevenuePeriods, RevenueReports],
})
export class InvoicingApiModule {}

/**
 * Wallet events → the revenue journal (recognition by cost basis; never wallet streams); paid
 * invoices → their credits granted; each subscription period → its base fee invoiced and its
 * allowance granted.
 */
@Module({
  providers: [
    RevenuePeriods,
    RevenueProjectionConsumer,
    PaidInvoiceGrants,
    PlanCatalogue,
    Invoices,
    OverageBilling,
    SubscriptionBilling,
    RefundCreditNotes,
  ],
})
export class InvoicingPipelineModule {}

/**
 * Invoicing whole, as one process or one thread hosts it: plans, subscriptions, invoices and
 * revenue recognition; payment providers join it.
 */
@Module({ imports: [InvoicingApiModule, InvoicingPipelineModule] })
export class InvoicingModule {}
