import type { EventStore, RecordedEvent } from '@burndown/ports';
import { foldRecorded } from '@burndown/runtime';
import {
  walletDecider,
  walletEventCodec,
  withoutCommandLog,
  type WalletEvent,
  type WalletState,
} from '@burndown/wallet-domain';
import { walletIdOfStream } from './wallet-stream';

const MAX_TRACKED_WALLETS = 10_000;

/** The wallet as its writer holds it now, and the revision that state is after. */
export type WriterState = (
  walletId: string,
) => { readonly state: WalletState; readonly revision: bigint | undefined } | undefined;

/**
 * Wallet state right after a given event, for a subscriber that walks $all in order. Cheapest
 * first: the state the wallet's writer folded when it appended the event; else one evolve of the
 * state tracked for the event before; else (after a restart, an eviction or a walk that repeats)
 * the stream read up to the event once.
 */
export class WalletStateTracker {
  private readonly states = new Map<string, { revision: bigint; state: WalletState }>();

  constructor(
    private readonly store: EventStore,
    private readonly writerState: WriterState = () => undefined,
  ) {}

  async after(recorded: RecordedEvent): Promise<{ event: WalletEvent; state: WalletState }> {
    const walletId = walletIdOfStream(recorded.streamName);
    const event = walletEventCodec.decode(recorded.type, recorded.data);
    const state =
      this.fromWriter(walletId, recorded.revision) ??
      this.evolved(walletId, recorded.revision, event) ??
      (await this.readUpTo(recorded));
    this.remember(walletId, recorded.revision, state);
    return { event, state };
  }

  /** The writer's own folded state, when it is exactly the state after this event. */
  private fromWriter(walletId: string, revision: bigint): WalletState | undefined {
    const held = this.writerState(walletId);
    return held?.revision === revision ? held.state : undefined;
  }

  /**
   * Undefined unless the state right before the event is known (a stream's first event starts from
   * nothing). The handlers read balances, grants and holds, never seen command ids: evolving the
   * writer's older version with its command log would copy every live id in it.
   */
  private evolved(walletId: string, revision: bigint, event: WalletEvent): WalletState | undefined {
    const known = this.states.get(walletId);
    const before =
      revision === 0n
        ? walletDecider.initialState()
        : known?.revision === revision - 1n
          ? known.state
          : undefined;
    return before === undefined
      ? undefined
      : walletDecider.evolve(withoutCommandLog(before), event);
  }

  private async readUpTo(recorded: RecordedEvent): Promise<WalletState> {
    const history = await this.store.readStream(recorded.streamName, {
      maxCount: Number(recorded.revision) + 1,
    });
    return foldRecorded(history, walletDecider, walletEventCodec);
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
