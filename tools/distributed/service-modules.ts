import type { Type } from '@nestjs/common';
import { EntitlementsModule } from '@burndown/entitlements';
import { IngestionModule } from '@burndown/ingestion';
import { InvoicingModule } from '@burndown/invoicing';
import { RatingModule } from '@burndown/rating';
import { WalletsModule } from '@burndown/wallets';
import type { ServiceName } from './services';

/** The module each service of the distributed topology runs alone (as apps/<name>/src/main.ts does). */
export const SERVICE_MODULES: Readonly<Record<ServiceName, Type>> = {
  ingestion: IngestionModule,
  rating: RatingModule,
  wallets: WalletsModule,
  entitlements: EntitlementsModule,
  invoicing: InvoicingModule,
};
