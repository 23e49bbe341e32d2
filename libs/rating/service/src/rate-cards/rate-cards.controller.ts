import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { stringify as toYaml } from 'yaml';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import {
  IdempotencyKey,
  RequireScopes,
  Responds,
  badRequest,
  notFound,
  refTo,
  IsDateTime,
} from '@burndown/http';
import { CLOCK, EVENT_STORE, type Clock, type EventStore } from '@burndown/ports';
import { StreamWriter, foldRecorded } from '@burndown/runtime';
import {
  RateCardRefused,
  rateCardDecider,
  rateCardEventCodec,
  readRateCard,
  type RateCardCommand,
  type RateCardEvent,
  type RateCardHistory,
} from '@burndown/rating-domain';
import { randomUUID } from 'node:crypto';
import { RateCardCatalogueService } from './rate-card-catalogue.service';
import { asCardProblem } from './rate-card-problem';
import { RateCardPreviews } from './rate-card-previews';
import {
  RATE_CARD,
  RATE_CARD_DEFINITION,
  RATE_CARD_DRAFT,
  RATE_CARD_PREVIEW,
  RATE_CARD_PUBLICATION,
  RATE_CARD_VALIDATION,
} from './rate-card-responses.schemas';
import { TimeWindowDto } from '../time-window.dto';
import { rateCardStream } from './rate-card-streams';

export class CardIdParam {
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,128}$/, {
    message: 'cardId must be 1–128 characters of A–Z, a–z, 0–9, _ . : or -',
  })
  readonly cardId!: string;
}

export class CardVersionParams extends CardIdParam {
  @Matches(/^[1-9][0-9]{0,8}$/, { message: 'version must be a whole number from 1' })
  readonly version!: string;
}

export class ExportQueryDto {
  @IsOptional()
  @IsIn(['json', 'yaml'], { message: 'format must be json or yaml' })
  readonly format?: 'json' | 'yaml';
}

export class PublishRateCardDto {
  @IsOptional()
  @IsDateTime()
  readonly effectiveFrom?: string;
}

const asObject = (body: unknown): Readonly<Record<string, unknown>> => {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest('body', 'the body must be a rate card as a JSON object');
  return body as Record<string, unknown>;
};

/** Rate cards kept outside the code: validate, save a draft, publish now or from a date, read any version. */
@ApiTags('rate cards')
@Controller('v1/rate-cards')
export class RateCardsController {
  /** Rate-card changes are rare: nothing cached, every command decides on the stream as stored. */
  private readonly cards: StreamWriter<RateCardCommand, RateCardEvent, RateCardHistory>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly catalogue: RateCardCatalogueService,
    private readonly previews: RateCardPreviews,
  ) {
    this.cards = new StreamWriter(store, rateCardDecider, rateCardEventCodec, { cacheSize: 0 });
  }

  /** Checks a card without saving it: 200 when valid, else 400 naming each problem and its rule. */
  @Post('validation')
  @HttpCode(200)
  @RequireScopes('admin')
  @ApiOperation({ summary: 'Check a rate card without saving it' })
  @Responds(200, RATE_CARD_VALIDATION, 'The card is valid')
  validate(@Body() body: unknown) {
    return asCardProblem(async () => {
      const card = readRateCard(asObject(body));
      return {
        valid: true,
        cardId: card.cardId,
        meters: card.meters.length,
        rules: card.rules.length,
      };
    });
  }

  @Put(':cardId/draft')
  @RequireScopes('admin')
  @ApiOperation({ summary: "Save a rate card's draft" })
  @Responds(200, RATE_CARD_DRAFT, 'The draft as saved')
  saveDraft(
    @Param() { cardId }: CardIdParam,
    @Body() body: unknown,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ) {
    return asCardProblem(async () => {
      const definition = asObject(body);
      await this.run(cardId, {
        type: 'SaveRateCardDraft',
        commandId: idempotencyKey ?? randomUUID(),
        at: this.clock.now(),
        cardId,
        definition,
      });
      return { cardId, draft: definition };
    });
  }

  @Post(':cardId/publication')
  @HttpCode(201)
  @RequireScopes('admin')
  @ApiOperation({ summary: 'Publish the draft as a new version, now or from a date' })
  @Responds(201, RATE_CARD_PUBLICATION, 'The version the draft became')
  publish(
    @Param() { cardId }: CardIdParam,
    @Body() body: PublishRateCardDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ) {
    return asCardProblem(async () => {
      const effectiveFrom = body.effectiveFrom === undefined ? null : new Date(body.effectiveFrom);
      const { state, events } = await this.run(cardId, {
        type: 'PublishRateCard',
        commandId: idempotencyKey ?? randomUUID(),
        at: this.clock.now(),
        effectiveFrom,
      });
      for (const event of events) {
        if (event.type === 'RateCardPublished')
          await this.catalogue.addPublished(cardId, { ...event.data, publishedAt: event.data.at });
      }
      const published = state.versions.at(-1);
      if (published === undefined)
        throw notFound(`rate card ${cardId} has no published version`, 'cardId');
      return {
        cardId,
        version: published.version,
        effectiveFrom: published.effectiveFrom.toISOString(),
      };
    });
  }

  /**
   * Re-rates the usage recorded in a window against the draft and reports, per customer, the
   * credit and revenue difference from what the published versions charged. Nothing is written.
   */
  @Post(':cardId/preview')
  @HttpCode(200)
  @RequireScopes('admin')
  @ApiOperation({ summary: 'Preview the draft against the usage recorded in a window' })
  @Responds(
    200,
    RATE_CARD_PREVIEW,
    'Per customer, what the draft would charge against what was charged',
  )
  preview(@Param() { cardId }: CardIdParam, @Body() body: TimeWindowDto) {
    return asCardProblem(async () => {
      const history = await this.history(cardId);
      if (history.draft === null)
        throw new RateCardRefused(
          'no-draft',
          `rate card ${cardId} has no draft to preview`,
          'draft',
        );
      const customers = await this.previews.preview(cardId, history.draft, body);
      return { cardId, from: body.from ?? null, to: body.to ?? null, customers };
    });
  }

  @Get(':cardId')
  @RequireScopes('read')
  @ApiOperation({ summary: 'Read a rate card: its draft and published versions' })
  @Responds(200, RATE_CARD, 'The draft, if any, and every published version')
  async get(@Param() { cardId }: CardIdParam) {
    const history = await this.history(cardId);
    if (history.draft === null && history.versions.length === 0)
      throw notFound(`rate card ${cardId} does not exist`, 'cardId');
    return {
      cardId,
      draft: history.draft,
      versions: history.versions.map((version) => ({
        version: version.version,
        effectiveFrom: version.effectiveFrom.toISOString(),
        publishedAt: version.publishedAt.toISOString(),
      })),
    };
  }

  /** Export: the card as published in that version, as JSON or (`?format=yaml`) YAML; the draft endpoint takes either. */
  @Get(':cardId/versions/:version')
  @RequireScopes('read')
  @ApiOperation({ summary: 'Export a published version as JSON or YAML' })
  @ApiResponse({
    status: 200,
    description: 'The card as published in that version: JSON, or YAML with ?format=yaml',
    content: {
      'application/json': { schema: refTo(RATE_CARD_DEFINITION) },
      'application/yaml': { schema: { type: 'string' } },
    },
  })
  async version(
    @Param() { cardId, version }: CardVersionParams,
    @Query() { format }: ExportQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const history = await this.history(cardId);
    const found = history.versions.find((candidate) => String(candidate.version) === version);
    if (found === undefined)
      throw notFound(`rate card ${cardId} has no version ${version}`, 'version');
    if (format !== 'yaml') return found.definition;
    void reply.type('application/yaml');
    return toYaml(found.definition);
  }

  private async history(cardId: string): Promise<RateCardHistory> {
    return foldRecorded(
      await this.store.readStream(rateCardStream(cardId)),
      rateCardDecider,
      rateCardEventCodec,
    );
  }

  private run(cardId: string, command: RateCardCommand) {
    return this.cards.execute(rateCardStream(cardId), command, {
      correlationId: command.commandId,
    });
  }
}
