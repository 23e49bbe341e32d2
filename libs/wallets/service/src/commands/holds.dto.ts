import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { IsAmount } from '@burndown/http';
import { IsResourceId } from './resource-id';

export const DEFAULT_HOLD_TIMEOUT_SECONDS = 600;
export const MAX_HOLD_TIMEOUT_SECONDS = 7 * 86_400;

export class PlaceHoldDto {
  @ApiProperty({ example: '2000000', description: 'Micro-credits to reserve, as a string.' })
  @IsAmount()
  readonly amount!: string;

  @ApiProperty({
    example: 'video.generate',
    description: 'What the reserved credit will pay for (grant scopes apply).',
  })
  @IsString()
  @Length(1, 128)
  readonly feature!: string;

  @ApiPropertyOptional({ description: 'Defaults to the Idempotency-Key.' })
  @IsOptional()
  @IsResourceId('holdId')
  readonly holdId?: string;

  @ApiPropertyOptional({
    example: 600,
    description: `Released by itself after this long; default ${DEFAULT_HOLD_TIMEOUT_SECONDS}.`,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_HOLD_TIMEOUT_SECONDS)
  readonly timeoutSeconds?: number;

  @ApiPropertyOptional({
    example: 'team-research',
    description: 'Sub-budget the reservation counts against.',
  })
  @IsOptional()
  @IsResourceId('budgetId')
  readonly budgetId?: string;
}

export class SettleHoldDto {
  @ApiProperty({
    example: '1500000',
    description:
      'What the job really used. Less releases the rest; more debits the extra under the overdraft policy.',
  })
  @IsAmount()
  readonly amount!: string;
}
