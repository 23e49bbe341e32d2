import { Inject, Injectable } from '@nestjs/common';
import { MESSAGE_BUS, type MessageBus, type RecordedEvent } from '@burndown/ports';
import type { Handled } from '@burndown/runtime';
import type { WalletEventHandler, WalletEventInContext } from '../wallet-event-handler';
import { BalanceSummaries } from './balance-summaries';
import { movesCredit, walletEventMessageOf, type IntegrationMessage } from './integration-event';

/**
 * Event store → bus, never "append then publish" in a handler (DESIGN.md §3). The publishes are
 * the event's effect: the checkpoint passes the event only after the bus acknowledged its message
 * and the balance summary after it, and a walk that repeats re-publishes with the same message
 * ids, which the bus drops.
 */
@Injectable()
export class WalletEventRelay implements WalletEventHandler {
  private readonly summaries: BalanceSummaries;

  constructor(@Inject(MESSAGE_BUS) private readonly bus: MessageBus) {
    this.summaries = new BalanceSummaries((message, headers) => this.publish(message, headers));
  }

  handle({ walletId, recorded, event, state }: WalletEventInContext): Handled | undefined {
    const message = walletEventMessageOf(walletId, recorded, event, state);
    if (message === undefined) return undefined;
    const headers = metadataHeaders(recorded);
    // Published at once, many in flight.
    const published = this.publish(message, headers);
    if (!movesCredit(event)) return { effect: published };
    const summarised = this.summaries.owe(walletId, message, headers);
    return { effect: Promise.all([published, summarised]) };
  }

  private publish(message: IntegrationMessage, headers: Record<string, string>): Promise<unknown> {
    return this.bus.publish(message.subject, message.payload, { msgId: message.msgId, headers });
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
