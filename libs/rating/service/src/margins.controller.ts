import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { RequireScopes, Responds } from '@burndown/http';
import { READ_STORE, type ReadStore } from '@burndown/ports';
import { MARGIN_REPORT } from './margin-responses.schemas';
import { MarginTotals } from './margins';
import { ratedUsageDocuments } from './rated-usage';
import { inWindow, TimeWindowDto } from './time-window.dto';

export class MarginQueryDto extends TimeWindowDto {
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, {
    message: 'customerId must be 1–64 characters of A–Z, a–z, 0–9, _ or -',
  })
  readonly customerId?: string;

  /** `customer`, `usageType`, or the name of a usage property such as `model` or `feature`. */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, {
    message: 'groupBy must be customer, usageType or a property name',
  })
  readonly groupBy?: string;
}

/** Margin per customer, usage type or any usage property (model, feature), from what rating recorded. */
@ApiTags('rating')
@Controller('v1/margins')
export class MarginsController {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  @Get()
  @RequireScopes('read')
  @ApiOperation({ summary: 'Margin per customer, usage type or usage property' })
  @Responds(
    200,
    MARGIN_REPORT,
    'Credits burned, revenue, provider cost and margin per group and currency',
  )
  async margins(@Query() query: MarginQueryDto) {
    const groupBy = query.groupBy ?? 'customer';
    const within = inWindow(query);
    const totals = new MarginTotals(groupBy);
    for await (const rated of ratedUsageDocuments(
      this.readStore,
      query.customerId === undefined ? {} : { customerId: query.customerId },
    )) {
      if (within(rated.occurredAt)) totals.add(rated);
    }
    return {
      groupBy,
      unit: { credits: 'micro-credits', money: "millionths of the currency's minor unit" },
      data: totals.rows(),
    };
  }
}
