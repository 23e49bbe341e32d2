import { applyDecorators, Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ArrayMaxSize, IsArray } from 'class-validator';
import {
  ProblemException,
  RequireScopes,
  Responds,
  badRequest,
  unprocessable,
  ChecksCustomer,
  CurrentPrincipal,
  reaches,
  type ApiPrincipal,
} from '@burndown/http';
import { NoResponderError, RequestTimeoutError } from '@burndown/ports';
import { TRACEPARENT, continueOrStartTrace } from '@burndown/runtime';
import { EventTimeWindow } from './event-time-window';
import { BatchIngestion, MAX_BATCH_EVENTS, type EventResult } from './batch-ingestion';
import { usageFromCloudEvent } from './cloud-event';
import { CustomerDirectory } from './customer-directory';
import { USAGE_BATCH_RESULT, USAGE_EVENT_RECEIPT } from './ingestion-responses.schemas';
import { UsageEventDto } from './usage-event.dto';
import { UsagePublisher } from './usage-publisher';

export class UsageBatchDto {
  /** Validated one by one: a bad event is reported, the others still go through. */
  @IsArray()
  @ArrayMaxSize(MAX_BATCH_EVENTS, { message: `a batch holds at most ${MAX_BATCH_EVENTS} events` })
  readonly events!: unknown[];
}

const CLOUD_EVENT_FIELDS: Readonly<Record<string, string>> = {
  customerId: 'data.customerId',
  quantity: 'data.quantity',
  properties: 'data.properties',
  providerCostMicros: 'data.providerCostMicros',
  timestamp: 'time',
};

const busUnavailable = (detail: string) =>
  new ProblemException({
    status: 503,
    type: 'bus-unavailable',
    title: 'The bus did not store the event',
    detail,
    headers: { 'Retry-After': '1' },
  });

@ApiTags('usage')
// A customer-bound key sends only its customer's usage; another customer is as unknown as none.
@ChecksCustomer()
@Controller('v1')
export class IngestUsageController {
  constructor(
    private readonly customers: CustomerDirectory,
    private readonly publisher: UsagePublisher,
    private readonly batches: BatchIngestion,
    private readonly timeWindow: EventTimeWindow,
  ) {}

  /** 202 means durable: answered only after the bus has stored the event (DESIGN.md §3). */
  @Post('events')
  @HttpCode(202)
  @RequireScopes('ingest')
  @ApiOperation({ summary: 'Ingest one usage event (202 once the bus has stored it)' })
  @Responds(
    202,
    USAGE_EVENT_RECEIPT,
    'Stored on the bus: accepted, or a duplicate of an event already stored',
  )
  async ingest(
    @Body() event: UsageEventDto,
    @CurrentPrincipal() principal: ApiPrincipal | undefined,
    @Headers(TRACEPARENT) traceparent?: string,
  ) {
    const outsideWindow = this.timeWindow.refusal(event.timestamp, 'timestamp');
    if (outsideWindow !== undefined) throw unprocessable(outsideWindow.field, outsideWindow.detail);
    const release = this.publisher.admit(1);
    try {
      if (!reaches(principal, event.customerId) || !(await this.customerExists(event.customerId))) {
        throw unprocessable('customerId', `customer ${event.customerId} does not exist`);
      }
      try {
        return {
          id: event.id,
          status: await this.publisher.publish(event, continueOrStartTrace(traceparent)),
        };
      } catch (error) {
        throw busUnavailable(
          `the bus did not acknowledge event ${event.id}: ${(error as Error).message}`,
        );
      }
    } finally {
      release();
    }
  }

  /**
   * Up to 1,000 events, each answered: accepted, duplicate, rejected with the fields at fault, or
   * unavailable. 202 when every valid event is stored; 503 with Retry-After when the bus did not
   * store some (send the batch again: stored events come back as duplicates).
   */
  @Post('events/batch')
  @RequireScopes('ingest')
  @ApiOperation({ summary: 'Ingest up to 1,000 usage events, each answered on its own' })
  @AnswersBatch()
  async ingestBatch(
    @Body() batch: UsageBatchDto,
    @CurrentPrincipal() principal: ApiPrincipal | undefined,
    @Headers(TRACEPARENT) traceparent: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const results = await this.batches.ingest(
      batch.events,
      continueOrStartTrace(traceparent),
      (index) => `events[${index}]`,
      principal?.customerId ?? null,
    );
    return answer(results, reply);
  }

  /** CloudEvents 1.0, structured (`application/cloudevents+json`) or batched (`application/cloudevents-batch+json`). */
  @Post('cloudevents')
  @RequireScopes('ingest')
  @ApiOperation({ summary: 'Ingest usage as CloudEvents 1.0, structured or batched' })
  @AnswersBatch()
  async ingestCloudEvents(
    @Body() body: unknown,
    @CurrentPrincipal() principal: ApiPrincipal | undefined,
    @Headers('content-type') contentType: string | undefined,
    @Headers(TRACEPARENT) traceparent: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const batched = (contentType ?? '').startsWith('application/cloudevents-batch+json');
    const cloudEvents = batched ? body : [body];
    if (!Array.isArray(cloudEvents))
      throw badRequest('body', 'a CloudEvents batch is a JSON array of events');
    if (cloudEvents.length > MAX_BATCH_EVENTS)
      throw badRequest('body', `a batch holds at most ${MAX_BATCH_EVENTS} events`);
    const pathOf = (index: number) => (batched ? `[${index}]` : 'body');
    const mapped = cloudEvents.map((cloudEvent, index) =>
      usageFromCloudEvent(cloudEvent, pathOf(index)),
    );
    const results = await this.batches.ingest(
      mapped.map((outcome) => ('usage' in outcome ? outcome.usage : null)),
      continueOrStartTrace(traceparent),
      pathOf,
      principal?.customerId ?? null,
    );
    const named = results.map((result, index): EventResult => {
      const outcome = mapped[index];
      if (outcome !== undefined && 'errors' in outcome)
        return { index, id: null, status: 'rejected', errors: outcome.errors };
      if (result.status !== 'rejected') return result;
      return {
        ...result,
        errors: result.errors.map((error) => {
          const [prefix, ...rest] = error.field.split('.');
          const field = rest.join('.');
          return { ...error, field: `${prefix}.${CLOUD_EVENT_FIELDS[field] ?? field}` };
        }),
      };
    });
    return answer(named, reply);
  }

  private async customerExists(customerId: string): Promise<boolean> {
    try {
      return await this.customers.exists(customerId);
    } catch (error) {
      if (error instanceof NoResponderError || error instanceof RequestTimeoutError) {
        throw new ProblemException({
          status: 503,
          type: 'dependency-unavailable',
          title: 'Customer directory unavailable',
          detail: 'the wallets service did not answer; retry shortly',
          headers: { 'Retry-After': '1' },
        });
      }
      throw error;
    }
  }
}

/**
 * The handler sets the status itself: 202 when every valid event is stored, 503 (with the same
 * body) when the bus did not store some.
 */
function AnswersBatch(): MethodDecorator {
  return applyDecorators(
    HttpCode(202),
    Responds(
      202,
      USAGE_BATCH_RESULT,
      'Every valid event is stored; the results say what became of each',
    ),
    Responds(
      503,
      USAGE_BATCH_RESULT,
      'The bus did not store some events (Retry-After): send the batch again',
    ),
  );
}

function answer(results: readonly EventResult[], reply: FastifyReply) {
  const count = (status: EventResult['status']) =>
    results.filter((result) => result.status === status).length;
  const unavailable = count('unavailable');
  void reply.status(unavailable > 0 ? 503 : 202);
  if (unavailable > 0) void reply.header('Retry-After', '1');
  return {
    accepted: count('accepted'),
    duplicates: count('duplicate'),
    rejected: count('rejected'),
    unavailable,
    results,
  };
}
