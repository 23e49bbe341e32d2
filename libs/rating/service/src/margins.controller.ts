import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { RequireScopes } from '@burndown/http';
import { READ_STORE, type ReadStore } from '@burndown/ports';
import { ratedUsageDocuments, type StoredRatedUsage } from './rated-usage';
import { inWindow, TimeWindowDto } from './time-window.dto';

export class MarginQueryDto extends TimeWindowDto {
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'customerId must be 1–64 characters of A–Z, a–z, 0–9, _ or -' })
  readonly customerId?: string;

  /** `customer`, `usageType`, or the name of a usage property such as `model` or `feature`. */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'groupBy must be customer, usageType or a property name' })
  readonly groupBy?: string;
}

interface Totals {
  events: number;
  credits: bigint;
  revenueMicros: bigint;
  costMicros: bigint;
  /** Events whose provider cost is unknown: their margin is not counted. */
  withoutCost: number;
}

/** Margin per customer, usage type or any usage property (model, feature), from what rating recorded. */
@ApiTags('rating')
@Controller('v1/margins')
export class MarginsController {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  @Get()
  @RequireScopes('read')
  async margins(@Query() query: MarginQueryDto) {
    const groupBy = query.groupBy ?? 'customer';
    const within = inWindow(query);
    const groups = new Map<string, Totals>();
    for await (const rated of ratedUsageDocuments(this.readStore, query.customerId === undefined ? {} : { customerId: query.customerId })) {
      if (!within(rated.occurredAt)) continue;
      // Money of different currencies is never added up.
      const key = `${keyOf(rated, groupBy)}\u0000${rated.currency}`;
      const totals = groups.get(key) ?? { events: 0, credits: 0n, revenueMicros: 0n, costMicros: 0n, withoutCost: 0 };
      totals.events++;
      totals.credits += BigInt(rated.credits);
      totals.revenueMicros += BigInt(rated.revenueMicros);
      if (rated.costMicros === null) totals.withoutCost++;
      else totals.costMicros += BigInt(rated.costMicros);
      groups.set(key, totals);
    }
    return {
      groupBy,
      unit: { credits: 'micro-credits', money: "millionths of the currency's minor unit" },
      data: [...groups].map(([key, totals]) => ({
        [groupBy]: key.split('\u0000')[0],
        currency: key.split('\u0000')[1],
        events: totals.events,
        credits: totals.credits.toString(),
        revenueMicros: totals.revenueMicros.toString(),
        costMicros: totals.costMicros.toString(),
        marginMicros: (totals.revenueMicros - totals.costMicros).toString(),
        eventsWithoutCost: totals.withoutCost,
      })),
    };
  }
}

function keyOf(rated: StoredRatedUsage, groupBy: string): string {
  if (groupBy === 'customer') return rated.customerId;
  if (groupBy === 'usageType') return rated.usageType;
  const value = rated.properties[groupBy];
  return value === undefined ? '(none)' : String(value);
}
