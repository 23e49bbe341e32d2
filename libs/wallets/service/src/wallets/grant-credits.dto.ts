import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { IsAmount } from '@burndown/http';
import { GRANT_KINDS, type GrantKind } from '@burndown/wallet-domain';

export class GrantCreditsDto {
  @ApiProperty({ example: '10000000', description: 'Micro-credits (1 credit = 1,000,000), as a string.' })
  @IsAmount()
  readonly amount!: string;

  @ApiProperty({ enum: GRANT_KINDS, example: 'purchased' })
  @IsIn(GRANT_KINDS, { message: `kind must be one of ${GRANT_KINDS.join(', ')}` })
  readonly kind!: GrantKind;

  @ApiPropertyOptional({ description: 'Defaults to the Idempotency-Key.' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,128}$/, { message: 'grantId must be 1–128 characters of A–Z, a–z, 0–9, _ . : or -' })
  readonly grantId?: string;
}
