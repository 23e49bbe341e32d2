import type { RecordedEvent } from '@burndown/ports';
import type { Handled } from '@burndown/runtime';
import type { WalletEvent, WalletState } from '@burndown/wallet-domain';

export interface WalletEventInContext {
  readonly walletId: string;
  readonly recorded: RecordedEvent;
  readonly event: WalletEvent;
  /** The wallet right after this event. */
  readonly state: WalletState;
}

/**
 * One consumer of the wallet fan-out (ledger, relay, timers): turns a wallet event into writes and
 * effects. It must tolerate seeing an event again: the walk repeats from the checkpoint after a
 * failed batch, so writes are version-guarded and effects deduplicated.
 */
export interface WalletEventHandler {
  /** Runs once before the walk starts (indexes to declare, state to read back). */
  prepare?(): Promise<void>;
  handle(context: WalletEventInContext): Handled | undefined;
}
