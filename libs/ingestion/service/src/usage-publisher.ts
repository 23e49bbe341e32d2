import { Inject, Injectable } from '@nestjs/common';
import { ProblemException } from '@burndown/http';
import { CLOCK, MESSAGE_BUS, subjects, type Clock, type MessageBus } from '@burndown/ports';
import { TRACEPARENT } from '@burndown/runtime';
import type { UsageEventDto } from './usage-event.dto';

/** Events published and not yet acknowledged by the bus, beyond which ingestion sheds load. */
export const MAX_IN_FLIGHT_EVENTS = 20_000;

export type PublishOutcome = 'accepted' | 'duplicate';

/**
 * Publishes accepted usage durably: resolves only once the bus has stored the event. While more
 * than MAX_IN_FLIGHT_EVENTS wait for the bus, new requests are turned away with 429 and
 * Retry-After: ingestion never acknowledges what it cannot store.
 */
@Injectable()
export class UsagePublisher {
  private inFlight = 0;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Throws a 429 problem when the bus is this far behind; reserve before validating the rest. */
  admit(events: number): () => void {
    if (this.inFlight + events > MAX_IN_FLIGHT_EVENTS && this.inFlight > 0) {
      throw new ProblemException({
        status: 429,
        type: 'overloaded',
        title: 'Too many events waiting for the bus',
        detail: `${this.inFlight} events are waiting for the bus to store them; retry shortly`,
        headers: { 'Retry-After': '1' },
      });
    }
    this.inFlight += events;
    let released = false;
    return () => {
      if (!released) this.inFlight -= events;
      released = true;
    };
  }

  async publish(event: UsageEventDto, traceparent: string): Promise<PublishOutcome> {
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
      { msgId: event.id, headers: { correlationId: event.id, [TRACEPARENT]: traceparent } },
    );
    return ack.duplicate ? 'duplicate' : 'accepted';
  }
}
