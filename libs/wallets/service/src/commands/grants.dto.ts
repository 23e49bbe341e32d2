import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsAmount, IsDateTime } from '@burndown/http';
import {
  GRANT_KINDS,
  OVERAGE_SETTLEMENT_OUTCOMES,
  type GrantKind,
  type OverageSettlementOutcome,
} from '@burndown/wallet-domain';
import { CostBasisDto } from './cost-basis.dto';
import { IsResourceId } from './resource-id';

const AMOUNT_DOC = 'Micro-credits (1 credit = 1,000,000), as a string.';
const SIGNED_AMOUNT = /^-?(0|[1-9][0-9]{0,29})$/;

export class GrantCreditsDto {
  @ApiProperty({ example: '10000000', description: AMOUNT_DOC })
  @IsAmount()
  readonly amount!: string;

  @ApiProperty({ enum: GRANT_KINDS, example: 'purchased' })
  @IsIn(GRANT_KINDS, { message: `kind must be one of ${GRANT_KINDS.join(', ')}` })
  readonly kind!: GrantKind;

  @ApiPropertyOptional({ description: 'Defaults to the Idempotency-Key.' })
  @IsOptional()
  @IsResourceId('grantId')
  readonly grantId?: string;

  @ApiPropertyOptional({
    type: CostBasisDto,
    description: 'What a credit cost; free when absent (always free for promotional).',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => CostBasisDto)
  readonly costBasis?: CostBasisDto;

  @ApiPropertyOptional({ example: 100, description: 'Lower burns first; default 100.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  readonly priority?: number;

  @ApiPropertyOptional({
    example: '2026-12-01T00:00:00Z',
    description: 'Not spendable before; default now.',
  })
  @IsOptional()
  @IsDateTime()
  readonly effectiveAt?: string;

  @ApiPropertyOptional({
    example: '2027-12-01T00:00:00Z',
    description: 'Unspent credit expires then; never when absent.',
  })
  @IsOptional()
  @IsDateTime()
  readonly expiresAt?: string;

  @ApiPropertyOptional({
    example: ['images'],
    description: 'Features it may pay for; everything when absent.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 128, { each: true })
  readonly scope?: string[];

  @ApiPropertyOptional({
    example: 'order-8812',
    description: 'Where it came from: order, invoice, ticket.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  readonly source?: string;
}

export class AdjustCreditsDto {
  @ApiProperty({
    example: '-2500000',
    description: `${AMOUNT_DOC} Positive adds credit, negative deducts it.`,
  })
  @Matches(SIGNED_AMOUNT, {
    message:
      'amount must be a whole number of micro-credits as a string, optionally negative, such as "-2500000"',
  })
  readonly amount!: string;

  @ApiProperty({ example: 'support ticket 4411' })
  @IsString()
  @Length(1, 500)
  readonly reason!: string;

  @ApiPropertyOptional({ description: 'Defaults to the Idempotency-Key.' })
  @IsOptional()
  @IsResourceId('adjustmentId')
  readonly adjustmentId?: string;
}

/** Unused credits of a paid grant to pay back, at most what is free on it (the grant is in the path). */
export class RefundPurchaseDto {
  @ApiProperty({ example: '2000000', description: AMOUNT_DOC })
  @IsAmount()
  readonly amount!: string;

  @ApiProperty({ example: 'customer cancelled' })
  @IsString()
  @Length(1, 500)
  readonly reason!: string;

  @ApiPropertyOptional({ description: 'Defaults to the Idempotency-Key.' })
  @IsOptional()
  @IsResourceId('refundId')
  readonly refundId?: string;
}

/** Owed overage billed or forgiven outside the wallet, at most what is owed. */
export class SettleOverageDto {
  @ApiProperty({ example: '1500000', description: AMOUNT_DOC })
  @IsAmount()
  readonly amount!: string;

  @ApiProperty({ enum: OVERAGE_SETTLEMENT_OUTCOMES, example: 'invoiced' })
  @IsIn(OVERAGE_SETTLEMENT_OUTCOMES)
  readonly outcome!: OverageSettlementOutcome;

  @ApiProperty({ example: 'INV-000042', description: 'The invoice, or why it was written off.' })
  @IsString()
  @Length(1, 200)
  readonly reference!: string;

  @ApiPropertyOptional({ description: 'Defaults to the Idempotency-Key.' })
  @IsOptional()
  @IsResourceId('settlementId')
  readonly settlementId?: string;
}

/** Credit given back as a new grant: the same fields, plus what the new grant is worth. */
export class RefundCreditsDto extends RefundPurchaseDto {
  @ApiPropertyOptional({ type: CostBasisDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CostBasisDto)
  readonly costBasis?: CostBasisDto;

  @ApiPropertyOptional({ example: 'invoice-2026-11' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  readonly source?: string;
}

export class StartAllowancePeriodDto {
  @ApiProperty({ example: '2026-12', description: 'One allowance per period id.' })
  @IsResourceId('periodId')
  readonly periodId!: string;

  @ApiProperty({ example: '100000000', description: AMOUNT_DOC })
  @IsAmount()
  readonly amount!: string;

  @ApiProperty({
    example: '2027-01-01T00:00:00Z',
    description: 'The allowance expires at the end of its period.',
  })
  @IsDateTime()
  readonly periodEnd!: string;

  @ApiPropertyOptional({ type: CostBasisDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CostBasisDto)
  readonly costBasis?: CostBasisDto;

  @ApiPropertyOptional({
    example: {
      mode: 'capped',
      capPercentOfAllowance: null,
      fixedCap: '30000000',
      expiresAfterMs: null,
    },
    description:
      "This allowance's own rollover terms (as the policy's `rollover`: `none`, `all` or `capped`), followed at its expiry instead of the wallet policy's.",
  })
  @IsOptional()
  @IsObject()
  readonly rollover?: Record<string, unknown>;
}
