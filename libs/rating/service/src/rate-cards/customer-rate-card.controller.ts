import { Body, Controller, Inject, Param, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsArray, IsObject, IsOptional, IsString, Matches } from 'class-validator';
import { IdempotencyKey, RequireScopes, Responds, notFound, ForCustomer } from '@burndown/http';
import { CLOCK, type Clock } from '@burndown/ports';
import { overrideOf, type RatingCommand } from '@burndown/rating-domain';
import { randomUUID } from 'node:crypto';
import { RateCardCatalogueService } from './rate-card-catalogue.service';
import { asCardProblem } from './rate-card-problem';
import { CUSTOMER_RATE_CARD } from './rate-card-responses.schemas';
import { RatingStreams } from '../rating-streams.service';

export class CustomerIdParam {
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, {
    message: 'id must be 1–64 characters of A–Z, a–z, 0–9, _ or -',
  })
  readonly id!: string;
}

export class CustomerRateCardDto {
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,128}$/, {
    message: 'cardId must be 1–128 characters of A–Z, a–z, 0–9, _ . : or -',
  })
  readonly cardId!: string;

  /** Rules that replace (same ruleId) or add to the card's rules for this customer only. */
  @IsOptional()
  @IsArray()
  @IsObject({ each: true })
  readonly overrides?: Record<string, unknown>[];
}

/** Which card a customer is rated with, and the customer's own overrides on top of it. */
@ApiTags('rate cards')
@ForCustomer('id')
@Controller('v1/customers/:id/rate-card')
export class CustomerRateCardController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly catalogue: RateCardCatalogueService,
    private readonly streams: RatingStreams,
  ) {}

  @Put()
  @RequireScopes('admin')
  @ApiOperation({ summary: "Assign a customer's rate card and overrides" })
  @Responds(200, CUSTOMER_RATE_CARD, 'The card and how many override rules the customer now has')
  assign(
    @Param() { id }: CustomerIdParam,
    @Body() body: CustomerRateCardDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ) {
    return asCardProblem(async () => {
      const overrides = body.overrides ?? [];
      const now = this.clock.now();
      // Refuse overrides that do not fit the card in force now, before anything is written.
      await this.catalogue.ensureLoaded(body.cardId);
      if (this.catalogue.resolve(body.cardId, now, overrideOf(overrides)) === undefined) {
        throw notFound(`rate card ${body.cardId} has no version in force`, 'cardId');
      }
      const key = idempotencyKey ?? randomUUID();
      await this.run(id, {
        type: 'AssignRateCard',
        commandId: `${key}:card`,
        at: now,
        cardId: body.cardId,
      });
      await this.run(id, {
        type: 'SetRateOverride',
        commandId: `${key}:override`,
        at: now,
        rules: overrides,
      });
      return { customerId: id, cardId: body.cardId, overrides: overrides.length };
    });
  }

  private run(customerId: string, command: RatingCommand) {
    return this.streams.execute(customerId, command, { correlationId: command.commandId });
  }
}
