import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { IsAmount } from '@burndown/http';
import { IsResourceId } from './resource-id';

/** A debit of credits already rated (usage normally arrives through ingestion and rating). */
export class DebitUsageDto {
  @ApiProperty({
    example: 'evt-7f3a',
    description: 'The usage event this pays for; debited once, ever.',
  })
  @IsResourceId('usageEventId')
  readonly usageEventId!: string;

  @ApiProperty({ example: 'llm.tokens' })
  @IsString()
  @Length(1, 128)
  readonly feature!: string;

  @ApiProperty({ example: '1500000', description: 'Micro-credits, as a string.' })
  @IsAmount()
  readonly amount!: string;

  @ApiPropertyOptional({ example: 'team-research' })
  @IsOptional()
  @IsResourceId('budgetId')
  readonly budgetId?: string;
}

export class SetBudgetDto {
  @ApiProperty({
    example: '50000000',
    description: 'Most the budget may spend (debits plus active holds), micro-credits.',
  })
  @IsAmount()
  readonly cap!: string;
}
