import { Inject, Injectable } from '@nestjs/common';
import { MESSAGE_BUS, type MessageBus, type RecordedEvent } from '@burndown/ports';
import type { Handled } from '@burndown/runtime';
import type { WalletEventHandler, WalletEventInContext } from '../wallet-event-handler';
import { integrationMessageOf } from './integration-event';

/**
 * Event store → bus, never "append then publish" in a handler (DESIGN.md §3). The publish is the
 * event's effect: the checkpoint passes the event only after the bus acknowledged it, and a walk
 * that repeats re-publishes with the same message id, which the bus drops.
 */
@Injectable()
export class WalletEventRelay implements WalletEventHandler {
  constructor(@Inject(MESSAGE_BUS) private readonly bus: MessageBus) {}

  handle({ walletId, recorded, event, state }: WalletEventInContext): Handled | undefined {
    const message = integrationMessageOf(walletId, recorded, event, state);
    if (message === undefined) return undefined;
    // Published at once, many in flight.
    return {
      effect: this.bus.publish(message.subject, message.payload, {
        msgId: recorded.eventId,
        headers: metadataHeaders(recorded),
      }),
    };
  }
}

function metadataHeaders(recorded: RecordedEvent): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const key of ['correlationId', 'causationId', 'traceparent'] as const) {
    const value = recorded.metadata[key];
    if (typeof value === 'string') headers[key] = value;
  }
  return headers;
}
