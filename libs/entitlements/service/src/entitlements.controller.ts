import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import {
  IsAmount,
  RequireScopes,
  Responds,
  notFound,
  CustomerIdParam,
  ForCustomer,
} from '@burndown/http';
import { READ_STORE, type ReadStore } from '@burndown/ports';
import { BALANCE_VIEW_COLLECTION } from './balance-view';
import { ENTITLEMENT } from './entitlement-responses.schemas';

class EntitlementQuery {
  /** Micro-credits the caller is about to spend; omitted: anything above zero. */
  @IsOptional()
  @IsAmount()
  readonly credits?: string;
}

@ApiTags('entitlements')
@ForCustomer('customerId')
@Controller('v1/entitlements')
export class EntitlementsController {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  /** May this customer spend now? Answered from this service's own balance view. */
  @Get(':customerId')
  @RequireScopes('read')
  @ApiOperation({ summary: 'May this customer spend now?' })
  @Responds(200, ENTITLEMENT, 'The available balance and whether it covers the requested credits')
  async check(@Param() { customerId }: CustomerIdParam, @Query() query: EntitlementQuery) {
    // The customer's org-pool wallet carries the customer's id.
    const view = await this.readStore.get(BALANCE_VIEW_COLLECTION, customerId);
    if (!view) throw notFound(`no balance known for customer ${customerId}`, 'customerId');
    const available = BigInt(String(view.document.available));
    const wanted = BigInt(query.credits ?? '1');
    return {
      customerId,
      walletId: view.document.walletId,
      balance: view.document.balance,
      available: available.toString(),
      requested: wanted.toString(),
      allowed: available >= wanted,
      asOfRevision: view.document.revision,
    };
  }
}
