import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { EventStore, ReadStore, RecordedEvent, Subscription } from '@burndown/ports';
import type { WalletEvent, WalletState } from '@burndown/wallet-domain';
import { WALLET_STREAM_PREFIX, walletIdOfStream } from './wallet-stream';
import { WalletStateTracker } from './wallet-state-tracker';

export interface WalletEventInContext {
  readonly walletId: string;
  readonly recorded: RecordedEvent;
  readonly event: WalletEvent;
  /** The wallet right after this event. */
  readonly state: WalletState;
}

/**
 * Walks every wallet stream in $all order from a checkpoint kept in the read store. The subclass
 * handles one event and must move the checkpoint itself, together with its own writes or after
 * its side effect, which is what makes its delivery exactly-once or at-least-once.
 */
export abstract class WalletStreamSubscriber implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(this.constructor.name);
  private readonly tracker: WalletStateTracker;
  private subscription: Subscription | undefined;

  protected constructor(
    private readonly store: EventStore,
    protected readonly readStore: ReadStore,
    protected readonly checkpointName: string,
  ) {
    this.tracker = new WalletStateTracker(store);
  }

  async onApplicationBootstrap(): Promise<void> {
    const fromPosition = await this.readStore.checkpoint(this.checkpointName);
    this.subscription = this.store.subscribeToAll(
      {
        ...(fromPosition === undefined ? {} : { fromPosition }),
        filter: { streamNamePrefixes: [WALLET_STREAM_PREFIX] },
        onError: (error, event) =>
          this.logger.error(`${this.checkpointName} failed on ${event.streamName}@${event.revision}: ${String(error)}`),
      },
      async (recorded) => {
        const { event, state } = await this.tracker.after(recorded);
        await this.handle({ walletId: walletIdOfStream(recorded.streamName), recorded, event, state });
      },
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.stop();
  }

  protected abstract handle(context: WalletEventInContext): Promise<void>;
}
