import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

const MONTH = /^[0-9]{4}-(0[1-9]|1[0-2])$/;
const MONTH_MESSAGE = 'a month is written YYYY-MM, in UTC';

export class RevenueReportQuery {
  @ApiPropertyOptional({
    example: '2026-12',
    description: 'Report every month through this one (default: the last with a line).',
  })
  @IsOptional()
  @Matches(MONTH, { message: `through: ${MONTH_MESSAGE}` })
  readonly through?: string;
}

export class ClosePeriodDto {
  @ApiProperty({ example: '2026-11', description: 'Closes this month and every month before it.' })
  @Matches(MONTH, { message: `month: ${MONTH_MESSAGE}` })
  readonly month!: string;
}

export class JournalQuery {
  @ApiProperty({
    example: '2026-11',
    description: 'The month whose booked lines the journal holds.',
  })
  @Matches(MONTH, { message: `month: ${MONTH_MESSAGE}` })
  readonly month!: string;
}
