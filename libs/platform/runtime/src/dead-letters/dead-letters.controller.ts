import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PageQueryDto, RequireScopes, unprocessable } from '@burndown/http';
import { DEAD_LETTER_STREAM, MESSAGE_BUS, type MessageBus } from '@burndown/ports';

/** Nothing is dropped silently: whatever could not be rated or applied is listed here with why. */
@ApiTags('dead letters')
@Controller('v1/dead-letters')
export class DeadLettersController {
  constructor(@Inject(MESSAGE_BUS) private readonly bus: MessageBus) {}

  @Get()
  @RequireScopes('admin')
  async list(@Query() page: PageQueryDto) {
    const afterSequence = page.cursor === undefined ? undefined : parseCursor(page.cursor);
    const messages = await this.bus.browse(DEAD_LETTER_STREAM, {
      limit: page.limit + 1,
      ...(afterSequence === undefined ? {} : { afterSequence }),
    });
    const items = messages.slice(0, page.limit);
    const last = items.at(-1);
    return {
      data: items.map((message) => ({ sequence: message.sequence.toString(), ...(message.payload as object) })),
      nextCursor: messages.length > page.limit && last ? last.sequence.toString() : null,
    };
  }
}

function parseCursor(cursor: string): bigint {
  if (!/^\d{1,20}$/.test(cursor)) throw unprocessable('cursor', 'cursor is not one this endpoint returned');
  return BigInt(cursor);
}
