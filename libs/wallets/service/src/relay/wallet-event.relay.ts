import { Inject, Injectable } from '@nestjs/common';
import {
  EVENT_STORE,
  MESSAGE_BUS,
  READ_STORE,
  type EventStore,
  type MessageBus,
  type ReadStore,
  type RecordedEvent,
} from '@burndown/ports';
import type { Handled } from '@burndown/runtime';
import { WalletStreamSubscriber, type WalletEventInContext } from '../wallet-stream-subscriber';
import { integrationMessageOf } from './integration-event';

export const WALLET_RELAY = 'wallets.relay';

/**
 * Event store → bus, never "append then publish" in a handler (DESIGN.md §3). Publish first, then
 * move the checkpoint: a crash in between re-publishes, and the bus drops the repeat by message id.
 */
@Injectable()
export class WalletEventRelay extends WalletStreamSubscriber {
  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(READ_STORE) readStore: ReadStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
  ) {
    super(store, readStore, WALLET_RELAY);
  }

  protected handle({ walletId, recorded, event, state }: WalletEventInContext): Handled | undefined {
    const message = integrationMessageOf(walletId, recorded, event, state);
    if (message === undefined) return undefined;
    // Published at once, many in flight; the checkpoint passes the event only after its ack.
    return {
      effect: this.bus.publish(message.subject, message.payload, { msgId: recorded.eventId, headers: metadataHeaders(recorded) }),
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
