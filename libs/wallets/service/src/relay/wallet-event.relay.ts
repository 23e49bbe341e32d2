import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import {
  EVENT_STORE,
  MESSAGE_BUS,
  READ_STORE,
  type EventStore,
  type MessageBus,
  type ReadStore,
  type RecordedEvent,
  type Subscription,
} from '@burndown/ports';
import { WALLET_STREAM_PREFIX, walletIdOfStream } from '../wallet-stream';
import { WalletStateTracker } from '../wallet-state-tracker';
import { integrationMessageOf } from './integration-event';

export const WALLET_RELAY = 'wallets.relay';

/**
 * Event store → bus, never "append then publish" in a handler (DESIGN.md §3). Publish first, then
 * move the checkpoint: a crash in between re-publishes, and the bus drops the repeat by message id.
 */
@Injectable()
export class WalletEventRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WalletEventRelay.name);
  private readonly tracker: WalletStateTracker;
  private subscription: Subscription | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
  ) {
    this.tracker = new WalletStateTracker(store);
  }

  async onApplicationBootstrap(): Promise<void> {
    const fromPosition = await this.readStore.checkpoint(WALLET_RELAY);
    this.subscription = this.store.subscribeToAll(
      {
        ...(fromPosition === undefined ? {} : { fromPosition }),
        filter: { streamNamePrefixes: [WALLET_STREAM_PREFIX] },
        onError: (error, event) =>
          this.logger.error(`relay failed on ${event.streamName}@${event.revision}: ${String(error)}`),
      },
      (event) => this.relay(event),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.stop();
  }

  private async relay(recorded: RecordedEvent): Promise<void> {
    const { event, state } = await this.tracker.after(recorded);
    const message = integrationMessageOf(walletIdOfStream(recorded.streamName), recorded, event, state);
    if (message) {
      await this.bus.publish(message.subject, message.payload, {
        msgId: recorded.eventId,
        headers: metadataHeaders(recorded),
      });
    }
    await this.readStore.apply({ writes: [], checkpoint: { name: WALLET_RELAY, position: recorded.position } });
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
