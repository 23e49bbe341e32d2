import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  IdempotencyKey,
  RequireScopes,
  Responds,
  badRequest,
  unprocessable,
  ForCustomer,
} from '@burndown/http';
import { parseAmount } from '@burndown/money';
import {
  UndecodableError,
  decodeShape,
  rolloverShape,
  type RolloverPolicy,
} from '@burndown/wallet-domain';
import { WalletIdParam } from '../wallet-id.param';
import { WALLET_COMMAND_RESULT } from '../wallet-responses.schemas';
import { toCostBasis } from './cost-basis.dto';
import {
  AdjustCreditsDto,
  GrantCreditsDto,
  RefundCreditsDto,
  RefundPurchaseDto,
  SettleOverageDto,
  StartAllowancePeriodDto,
} from './grants.dto';
import { GrantParams } from './id-params';
import { WalletCommandEndpoint } from './wallet-command-endpoint';

const optionalTime = (text: string | undefined): Date | undefined =>
  text === undefined ? undefined : new Date(text);

function resourceId(
  field: string,
  given: string | undefined,
  idempotencyKey: string | undefined,
): string {
  const id = given ?? idempotencyKey;
  if (id === undefined)
    throw unprocessable('Idempotency-Key', `send an Idempotency-Key header or a ${field}`);
  return id;
}

/** Credit in: grants, refunds, adjustments, allowance periods; and expiry of a grant that is due. */
@ApiTags('wallets')
@ForCustomer('id')
@Controller('v1/wallets/:id')
@RequireScopes('admin')
export class GrantsController {
  constructor(private readonly endpoint: WalletCommandEndpoint) {}

  @Post('grants')
  @HttpCode(201)
  @ApiOperation({ summary: 'Grant credits to the wallet' })
  @Responds(201, WALLET_COMMAND_RESULT)
  grant(
    @Param() { id }: WalletIdParam,
    @Body() body: GrantCreditsDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ) {
    const grantId = resourceId('grantId', body.grantId, idempotencyKey);
    return this.endpoint.run(
      id,
      'GrantCredits',
      {
        grantId,
        kind: body.kind,
        amount: parseAmount(body.amount),
        costBasis: toCostBasis(body.costBasis),
        priority: body.priority,
        effectiveAt: optionalTime(body.effectiveAt),
        expiresAt: optionalTime(body.expiresAt) ?? null,
        scope: body.scope,
        source: body.source ?? null,
      },
      { idempotencyKey, naturalId: `grant:${grantId}` },
    );
  }

  @Post('refunds')
  @HttpCode(201)
  @ApiOperation({ summary: 'Refund credits to the wallet' })
  @Responds(201, WALLET_COMMAND_RESULT)
  refund(
    @Param() { id }: WalletIdParam,
    @Body() body: RefundCreditsDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ) {
    const refundId = resourceId('refundId', body.refundId, idempotencyKey);
    return this.endpoint.run(
      id,
      'RefundCredits',
      {
        refundId,
        amount: parseAmount(body.amount),
        reason: body.reason,
        costBasis: toCostBasis(body.costBasis),
        source: body.source ?? null,
      },
      { idempotencyKey, naturalId: `refund:${refundId}` },
    );
  }

  /**
   * Pays back unused credits of a paid grant: they leave the wallet, and the money returned
   * (amount × the grant's cost basis) is recorded for revenue (409 for a free or expired grant).
   */
  @Post('grants/:grantId/refunds')
  @HttpCode(201)
  @ApiOperation({ summary: "Refund a paid grant's unused credits" })
  @Responds(201, WALLET_COMMAND_RESULT)
  refundPurchase(
    @Param() { id, grantId }: GrantParams,
    @Body() body: RefundPurchaseDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ) {
    const refundId = resourceId('refundId', body.refundId, idempotencyKey);
    return this.endpoint.run(
      id,
      'RefundPurchase',
      { refundId, grantId, amount: parseAmount(body.amount), reason: body.reason },
      { idempotencyKey, naturalId: `purchase-refund:${refundId}` },
    );
  }

  /** Owed overage billed on an invoice or written off: the balance rises by as much (400 beyond what is owed). */
  @Post('overage-settlements')
  @HttpCode(201)
  @ApiOperation({ summary: 'Settle owed overage: invoiced or written off' })
  @Responds(201, WALLET_COMMAND_RESULT)
  settleOverage(
    @Param() { id }: WalletIdParam,
    @Body() body: SettleOverageDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ) {
    const settlementId = resourceId('settlementId', body.settlementId, idempotencyKey);
    return this.endpoint.run(
      id,
      'SettleOverage',
      {
        settlementId,
        amount: parseAmount(body.amount),
        outcome: body.outcome,
        reference: body.reference,
      },
      { idempotencyKey, naturalId: `overage-settlement:${settlementId}` },
    );
  }

  @Post('adjustments')
  @HttpCode(201)
  @ApiOperation({ summary: 'Adjust the balance up or down' })
  @Responds(201, WALLET_COMMAND_RESULT)
  adjust(
    @Param() { id }: WalletIdParam,
    @Body() body: AdjustCreditsDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ) {
    const adjustmentId = resourceId('adjustmentId', body.adjustmentId, idempotencyKey);
    return this.endpoint.run(
      id,
      'AdjustCredits',
      { adjustmentId, amount: BigInt(body.amount), reason: body.reason },
      { idempotencyKey, naturalId: `adjustment:${adjustmentId}` },
    );
  }

  @Post('allowance-periods')
  @HttpCode(201)
  @ApiOperation({ summary: 'Start an allowance period' })
  @Responds(201, WALLET_COMMAND_RESULT)
  startAllowancePeriod(
    @Param() { id }: WalletIdParam,
    @Body() body: StartAllowancePeriodDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ) {
    return this.endpoint.run(
      id,
      'StartAllowancePeriod',
      {
        periodId: body.periodId,
        amount: parseAmount(body.amount),
        periodEnd: new Date(body.periodEnd),
        costBasis: toCostBasis(body.costBasis),
        rollover: body.rollover === undefined ? null : readRollover(body.rollover),
      },
      { idempotencyKey, naturalId: `allowance:${body.periodId}` },
    );
  }

  /** Normally the scheduler's job; refused (409) before the grant's expiry. */
  @Post('grants/:grantId/expiry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Expire a grant that is due' })
  @Responds(200, WALLET_COMMAND_RESULT)
  expire(
    @Param() { id, grantId }: GrantParams,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ) {
    return this.endpoint.run(
      id,
      'ExpireGrant',
      { grantId },
      { idempotencyKey, naturalId: `expire-grant:${grantId}` },
    );
  }
}

/** Rollover terms in the JSON form of the policy's `rollover`; 400 naming the field otherwise. */
function readRollover(json: Record<string, unknown>): RolloverPolicy {
  try {
    return decodeShape(json, rolloverShape, 'rollover') as RolloverPolicy;
  } catch (error) {
    if (!(error instanceof UndecodableError)) throw error;
    throw badRequest(error.field ?? 'rollover', error.message);
  }
}
