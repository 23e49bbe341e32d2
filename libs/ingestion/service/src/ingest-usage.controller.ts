import { Body, Controller, Headers, HttpCode, Inject, Post } from '@nestjs/common';
import { TRACEPARENT, continueOrStartTrace } from '@burndown/runtime';
import { ApiTags } from '@nestjs/swagger';
import { ProblemException, RequireScopes, unprocessable } from '@burndown/http';
import {
  CLOCK,
  MESSAGE_BUS,
  NoResponderError,
  RequestTimeoutError,
  subjects,
  type Clock,
  type MessageBus,
} from '@burndown/ports';
import { CustomerDirectory } from './customer-directory';
import { UsageEventDto } from './usage-event.dto';

@ApiTags('usage')
@Controller('v1/events')
export class IngestUsageController {
  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly customers: CustomerDirectory,
  ) {}

  /** 202 means durable: answered only after the bus has stored the event (DESIGN.md §3). */
  @Post()
  @HttpCode(202)
  @RequireScopes('ingest')
  async ingest(@Body() event: UsageEventDto, @Headers(TRACEPARENT) traceparent?: string) {
    if (!(await this.customerExists(event.customerId))) {
      throw unprocessable('customerId', `customer ${event.customerId} does not exist`);
    }
    const receivedAt = this.clock.now().toISOString();
    const ack = await this.bus.publish(
      subjects.usage(event.customerId),
      {
        id: event.id,
        customerId: event.customerId,
        type: event.type,
        quantity: String(event.quantity),
        timestamp: event.timestamp ?? receivedAt,
        properties: event.properties ?? {},
        providerCostMicros: event.providerCostMicros ?? null,
        receivedAt,
      },
      { msgId: event.id, headers: { correlationId: event.id, [TRACEPARENT]: continueOrStartTrace(traceparent) } },
    );
    return { id: event.id, status: ack.duplicate ? 'duplicate' : 'accepted' };
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
