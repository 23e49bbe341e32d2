import type { EventStore, ReadStore, RecordedEvent } from '@burndown/ports';
import { CheckpointedSubscriber, type Handled } from '@burndown/runtime';
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

/** Walks every wallet stream from its checkpoint, handing each event over with the wallet after it. */
export abstract class WalletStreamSubscriber extends CheckpointedSubscriber {
  private readonly tracker: WalletStateTracker;

  protected constructor(store: EventStore, readStore: ReadStore, checkpointName: string) {
    super(store, readStore, checkpointName, WALLET_STREAM_PREFIX);
    this.tracker = new WalletStateTracker(store);
  }

  protected async handleRecorded(recorded: RecordedEvent): Promise<Handled | undefined> {
    const { event, state } = await this.tracker.after(recorded);
    return this.handle({ walletId: walletIdOfStream(recorded.streamName), recorded, event, state });
  }

  protected abstract handle(context: WalletEventInContext): Handled | undefined;
}
