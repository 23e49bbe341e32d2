import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { IsAmount } from '@burndown/http';
import type { CostBasis } from '@burndown/wallet-domain';

/** What one credit cost: millionths of the currency's minor unit (1 cent per credit = "1000000"). */
export class CostBasisDto {
  @ApiProperty({ example: 'USD', description: 'ISO 4217 code.' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code such as USD' })
  readonly currency!: string;

  @ApiProperty({
    example: '1000000',
    description: 'Millionths of the minor unit per credit, as a string.',
  })
  @IsAmount()
  readonly microsPerCredit!: string;
}

export const toCostBasis = (dto: CostBasisDto | undefined): CostBasis | undefined =>
  dto === undefined
    ? undefined
    : { currency: dto.currency, microsPerCredit: BigInt(dto.microsPerCredit) };
