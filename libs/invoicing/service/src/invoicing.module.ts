import { Module } from '@nestjs/common';
import { Invoices } from './invoices/invoices';
import { InvoicesController } from './invoices/invoices.controller';
import { PaidInvoiceGrants } from './invoices/paid-invoice-grants';
import { StripeWebhookController } from './payments/stripe-webhook.controller';
import { PaymentRequests } from './payments/payment-requests';
import { paymentProvider } from './payments/payment-providers';
import { PackPurchasesController } from './plans/pack-purchases.controller';
import { PlanCatalogue } from './plans/plan-catalogue';
import { PlansController } from './plans/plans.controller';
import { SubscriptionBilling } from './plans/subscription-billing';
import { CommitmentTrueUps } from './plans/commitment-true-ups';
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
  providers: [
    PlanCatalogue,
    Subscriptions,
    Invoices,
    RevenuePeriods,
    RevenueReports,
    paymentProvider,
  ],
})
export class InvoicingApiModule {}

/** Wallet events → the revenue journal (recognition by cost basis; never wallet streams) and credit notes for refunds. */
@Module({
  providers: [
    RevenuePeriods,
    RevenueProjectionConsumer,
    PlanCatalogue,
    Invoices,
    RefundCreditNotes,
  ],
})
export class InvoicingRevenueModule {}

/**
 * Paid invoices → their credits granted; each subscription period → its base fee invoiced, its
 * allowance granted and its overage settled; finalized invoices → their payment asked of the
 * provider. The first three ask the wallets for commands over request/reply, so in the embedded
 * process they run on the thread the wallets answer on (an in-process bus answers a request only
 * on its own thread).
 */
@Module({
  providers: [
    PlanCatalogue,
    Invoices,
    PaidInvoiceGrants,
    OverageBilling,
    CommitmentTrueUps,
    SubscriptionBilling,
    paymentProvider,
    PaymentRequests,
  ],
})
export class InvoicingBillingModule {}

/** Everything invoicing does behind its API, as the invoicing service runs it. */
@Module({ imports: [InvoicingRevenueModule, InvoicingBillingModule] })
export class InvoicingPipelineModule {}

/**
 * Invoicing whole, as one process or one thread hosts it: plans, subscriptions, invoices and
 * revenue recognition; payment providers join it.
 */
@Module({ imports: [InvoicingApiModule, InvoicingPipelineModule] })
export class InvoicingModule {}
