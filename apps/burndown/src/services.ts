import { EntitlementsModule } from '@burndown/entitlements';
import { IngestionModule } from '@burndown/ingestion';
import { InvoicingModule } from '@burndown/invoicing';
import { RatingModule } from '@burndown/rating';
import { WalletsModule } from '@burndown/wallets';

/** Embedded mode hosts all five services in one process, over one store and one durable bus. */
export const EMBEDDED_SERVICES = [
  IngestionModule,
  RatingModule,
  WalletsModule,
  EntitlementsModule,
  InvoicingModule,
] as const;
