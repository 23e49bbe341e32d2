import type { EventStore, RecordedEvent } from '@burndown/ports';
import { foldRecorded } from '@burndown/runtime';
import {
  walletDecider,
  walletEventCodec,
  type WalletEvent,
  type WalletState,
} from '@burndown/wallet-domain';
import { walletIdOfStream } from './wallet-stream';

const MAX_TRACKED_WALLETS = 10_000;

/**
 * Wallet state right after a given event, for subscribers that walk $all in order (projection,
 * relay). Consecutive events of a wallet fold incrementally; after a restart or an eviction the
 * stream is read up to the event once.
 */
export class WalletStateTracker {
  private readonly states = new Map<string, { revision: bigint; state: WalletState }>();

  constructor(private readonly store: EventStore) {}

  async after(recorded: RecordedEvent): Promise<{ event: WalletEvent; state: WalletState }> {
    const walletId = walletIdOfStream(recorded.streamName);
    const event = walletEventCodec.decode(recorded.type, recorded.data);
    const known = this.states.get(walletId);
    const state =
      known && known.revision === recorded.revision - 1n
        ? walletDecider.evolve(known.state, event)
        : foldRecorded(
            await this.store.readStream(recorded.streamName, { maxCount: Number(recorded.revision) + 1 }),
            walletDecider,
            walletEventCodec,
          );
    this.remember(walletId, recorded.revision, state);
    return { event, state };
  }

  private remember(walletId: string, revision: bigint, state: WalletState): void {
    this.states.delete(walletId);
    this.states.set(walletId, { revision, state });
    if (this.states.size > MAX_TRACKED_WALLETS) {
      const oldest = this.states.keys().next().value;
      if (oldest !== undefined) this.states.delete(oldest);
    }
  }
}
