import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PageQueryDto, RequireScopes, notFound, unprocessable } from '@burndown/http';
import { DEAD_LETTER_STREAM, MESSAGE_BUS, type DeadLetter, type MessageBus } from '@burndown/ports';

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
  async redrive(@Param('sequence') sequenceText: string) {
    const sequence = parseCursor(sequenceText, 'sequence');
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

function parseCursor(cursor: string, field = 'cursor'): bigint {
  if (!/^\d{1,20}$/.test(cursor))
    throw unprocessable(field, `${field} is not one this endpoint returned`);
  return BigInt(cursor);
}
