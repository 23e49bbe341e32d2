import { Inject, Injectable } from '@nestjs/common';
import {
  EVENT_STORE,
  READ_STORE,
  type EventStore,
  type ReadStore,
  type RecordedEvent,
} from '@burndown/ports';
import { CheckpointedSubscriber, type Handled } from '@burndown/runtime';
import { WalletLedgerProjection } from './ledger/wallet-ledger.projection';
import { WalletEventRelay } from './relay/wallet-event.relay';
import { WalletTimersProjection } from './scheduler/wallet-timers.projection';
import { takeOverSupersededCheckpoints } from './superseded-checkpoints';
import { WalletCommands } from './wallet-commands.service';
import type { WalletEventHandler } from './wallet-event-handler';
import { WalletStateTracker } from './wallet-state-tracker';
import { WALLET_STREAM_PREFIX, walletIdOfStream } from './wallet-stream';

export const WALLET_STREAMS_CHECKPOINT = 'wallets.streams';

/**
 * The wallets service's one catch-up subscription over wallet streams: each event is read, decoded
 * and folded once, then handed to the ledger, the timers and the relay. What they produce goes into
 * one batch under one checkpoint, which passes the event only after every effect (the relay's
 * publish) succeeded; a failed batch walks all of them again from the checkpoint.
 */
@Injectable()
export class WalletStreamFanOut extends CheckpointedSubscriber {
  private readonly tracker: WalletStateTracker;
  private readonly handlers: readonly WalletEventHandler[];

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(READ_STORE) readStore: ReadStore,
    wallets: WalletCommands,
    ledger: WalletLedgerProjection,
    relay: WalletEventRelay,
    timers: WalletTimersProjection,
  ) {
    super(store, readStore, WALLET_STREAMS_CHECKPOINT, WALLET_STREAM_PREFIX);
    // An event this process appended is usually still in its writer's cache, already folded.
    this.tracker = new WalletStateTracker(store, (walletId) => wallets.cached(walletId));
    // The relay last: a handler that throws then leaves no publish under way, and the event is retried.
    this.handlers = [ledger, timers, relay];
  }

  override async onApplicationBootstrap(): Promise<void> {
    await takeOverSupersededCheckpoints(this.readStore, this.checkpointName);
    // Before the first event: the ledger's index, the due times the timers stored.
    for (const handler of this.handlers) await handler.prepare?.();
    await super.onApplicationBootstrap();
  }

  protected async handleRecorded(recorded: RecordedEvent): Promise<Handled> {
    const { event, state } = await this.tracker.after(recorded);
    const context = { walletId: walletIdOfStream(recorded.streamName), recorded, event, state };
    return allOf(this.handlers.map((handler) => handler.handle(context)));
  }
}

/** The handlers' writes in their order, and one effect that succeeds once all of theirs did. */
function allOf(results: readonly (Handled | undefined)[]): Handled {
  const writes = results.flatMap((handled) => handled?.writes ?? []);
  const effects = results.flatMap((handled) =>
    handled?.effect === undefined ? [] : [handled.effect],
  );
  return effects.length === 0 ? { writes } : { writes, effect: Promise.all(effects) };
}
