import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import {
  EVENT_STORE,
  READ_STORE,
  type EventStore,
  type ReadStore,
  type RecordedEvent,
  type Subscription,
} from '@burndown/ports';
import { WALLET_STREAM_PREFIX, walletIdOfStream } from '../wallet-stream';
import { WalletStateTracker } from '../wallet-state-tracker';
import { ledgerWrites } from './ledger-entry';

export const LEDGER_PROJECTION = 'wallets.ledger';

/**
 * Wallet streams → ledger lines and balances. Writes are guarded by stream revision and move the
 * checkpoint in the same batch, so a restart or a replay from zero leaves the same documents.
 */
@Injectable()
export class WalletLedgerProjection implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WalletLedgerProjection.name);
  private readonly tracker: WalletStateTracker;
  private subscription: Subscription | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {
    this.tracker = new WalletStateTracker(store);
  }

  async onApplicationBootstrap(): Promise<void> {
    const fromPosition = await this.readStore.checkpoint(LEDGER_PROJECTION);
    this.subscription = this.store.subscribeToAll(
      {
        ...(fromPosition === undefined ? {} : { fromPosition }),
        filter: { streamNamePrefixes: [WALLET_STREAM_PREFIX] },
        onError: (error, event) =>
          this.logger.error(`ledger projection failed on ${event.streamName}@${event.revision}: ${String(error)}`),
      },
      (event) => this.project(event),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.stop();
  }

  private async project(recorded: RecordedEvent): Promise<void> {
    const walletId = walletIdOfStream(recorded.streamName);
    const { event, state } = await this.tracker.after(recorded);
    await this.readStore.apply({
      writes: ledgerWrites(walletId, recorded, event, state),
      checkpoint: { name: LEDGER_PROJECTION, position: recorded.position },
    });
  }
}
