import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, READ_STORE, type EventStore, type ReadStore } from '@burndown/ports';
import type { Handled } from '@burndown/runtime';
import { WalletStreamSubscriber, type WalletEventInContext } from '../wallet-stream-subscriber';
import { LEDGER_COLLECTION, ledgerWrites } from './ledger-entry';

export const LEDGER_PROJECTION = 'wallets.ledger';

/**
 * Wallet streams → ledger lines and balances. Writes are guarded by stream revision and move the
 * checkpoint in the same apply, so a restart or a replay from zero leaves the same documents.
 */
@Injectable()
export class WalletLedgerProjection extends WalletStreamSubscriber {
  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(READ_STORE) readStore: ReadStore) {
    super(store, readStore, LEDGER_PROJECTION);
  }

  override async onApplicationBootstrap(): Promise<void> {
    // The ledger endpoint pages one wallet's lines.
    await this.readStore.declareIndexes(LEDGER_COLLECTION, [['walletId']]);
    await super.onApplicationBootstrap();
  }

  protected handle({ walletId, recorded, event, state }: WalletEventInContext): Handled {
    return { writes: ledgerWrites(walletId, recorded, event, state) };
  }
}
