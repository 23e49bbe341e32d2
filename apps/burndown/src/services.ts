import {
  EntitlementsApiModule,
  EntitlementsModule,
  EntitlementsPipelineModule,
} from '@burndown/entitlements';
import { IngestionModule } from '@burndown/ingestion';
import {
  InvoicingApiModule,
  InvoicingBillingModule,
  InvoicingModule,
  InvoicingRevenueModule,
} from '@burndown/invoicing';
import { RatingApiModule, RatingModule, RatingPipelineModule } from '@burndown/rating';
import type { ServiceThreadPlan } from '@burndown/runtime';
import { WalletsModule } from '@burndown/wallets';

/** Embedded mode hosts all five services in one process, over one store and one durable bus. */
export const EMBEDDED_SERVICES = [
  IngestionModule,
  RatingModule,
  WalletsModule,
  EntitlementsModule,
  InvoicingModule,
] as const;

/**
 * The same five split over two threads of the one process (BURNDOWN_SERVICE_THREADS=2): the main
 * thread serves every API and runs ingestion, wallets and invoicing's billing (which asks the
 * wallets for commands); the second runs rating's pipeline, the
 * entitlements view and the revenue journal. Each half is about as busy as the other under a burn.
 */
export const EMBEDDED_MAIN_THREAD = [
  IngestionModule,
  RatingApiModule,
  WalletsModule,
  EntitlementsApiModule,
  InvoicingApiModule,
  // Asks the wallets for commands: on the thread they answer requests on.
  InvoicingBillingModule,
] as const;

export const EMBEDDED_PIPELINE_THREAD = [
  RatingPipelineModule,
  EntitlementsPipelineModule,
  InvoicingRevenueModule,
] as const;

export const EMBEDDED_SERVICE_THREAD: ServiceThreadPlan = {
  modules: EMBEDDED_PIPELINE_THREAD,
  ref: { file: __filename, exportName: 'EMBEDDED_PIPELINE_THREAD' },
};
