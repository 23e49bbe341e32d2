import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  PageQueryDto,
  RequireScopes,
  Responds,
  badRequest,
  notFound,
  unprocessable,
} from '@burndown/http';
import { DEAD_LETTER_STREAM, MESSAGE_BUS, type DeadLetter, type MessageBus } from '@burndown/ports';
import { DEAD_LETTER_PAGE, DEAD_LETTER_REDRIVE } from './dead-letter-responses.schemas';

/** Nothing is dropped silently: whatever could not be rated or applied is listed here with why. */
@ApiTags('dead letters')
@Controller('v1/dead-letters')
export class DeadLettersController {
  constructor(@Inject(MESSAGE_BUS) private readonly bus: MessageBus) {}

  @Get()
  @RequireScopes('admin')
  @ApiOperation({ summary: 'List dead letters: messages that could not be handled, with why' })
  @Responds(200, DEAD_LETTER_PAGE)
  async list(@Query() page: PageQueryDto) {
    const afterSequence = page.cursor === undefined ? undefined : parseCursor(page.cursor);
    const messages = await this.bus.browse(DEAD_LETTER_STREAM, {
      limit: page.limit + 1,
      ...(afterSequence === undefined ? {} : { afterSequence }),
    });
    const items = messages.slice(0, page.limit);
    const last = items.at(-1);
    return {
      data: items.map((message) => {
        const letter = message.payload as DeadLetter;
        // `sequence` is the dead letter's own (what re-drive takes); the failed message's is kept beside it.
        return {
          ...letter,
          sequence: message.sequence.toString(),
          originalSequence: letter.sequence,
        };
      }),
      nextCursor: messages.length > page.limit && last ? last.sequence.toString() : null,
    };
  }

  /**
   * Re-drive: the original message goes back to its subject under a new message id (the original
   * one is inside the bus's dedupe window), so the consumer gets it again, say after a rate card
   * fix. Re-driving the same dead letter twice publishes once.
   */
  @Post(':sequence/redrive')
  @HttpCode(202)
  @RequireScopes('admin')
  @ApiOperation({ summary: 'Re-drive a dead letter to its original subject' })
  @Responds(
    202,
    DEAD_LETTER_REDRIVE,
    'Published again (duplicate: this dead letter was already re-driven)',
  )
  async redrive(@Param('sequence') sequenceText: string) {
    const sequence = parseSequence(sequenceText);
    const [message] = await this.bus.browse(DEAD_LETTER_STREAM, {
      afterSequence: sequence - 1n,
      limit: 1,
    });
    if (message === undefined || message.sequence !== sequence)
      throw notFound(`no dead letter ${sequenceText}`, 'sequence');
    const letter = message.payload as DeadLetter;
    const msgId = `${letter.msgId}:redrive:${sequenceText}`;
    const ack = await this.bus.publish(letter.subject, letter.payload, {
      msgId,
      headers: { ...letter.headers, redrivenFrom: sequenceText },
    });
    return {
      sequence: sequenceText,
      subject: letter.subject,
      msgId,
      status: ack.duplicate ? 'duplicate' : 'redriven',
    };
  }
}

/** As findPage answers every other listing: a cursor this listing never returned is a 400. */
function parseCursor(cursor: string): bigint {
  if (!/^\d{1,20}$/.test(cursor))
    throw badRequest('cursor', 'cursor is not one this listing returned; start again without it');
  return BigInt(cursor);
}

function parseSequence(sequence: string): bigint {
  if (!/^\d{1,20}$/.test(sequence))
    throw unprocessable('sequence', 'sequence is not one this endpoint returned');
  return BigInt(sequence);
}
