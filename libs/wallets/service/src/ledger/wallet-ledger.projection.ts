import { Inject, Injectable } from '@nestjs/common';
import { READ_STORE, type ReadStore } from '@burndown/ports';
import type { Handled } from '@burndown/runtime';
import type { WalletEventHandler, WalletEventInContext } from '../wallet-event-handler';
import { LEDGER_COLLECTION, ledgerWrites } from './ledger-entry';

/**
 * Wallet events → ledger lines and balances. Writes are guarded by stream revision and move with
 * the fan-out's checkpoint, so a restart or a replay from zero leaves the same documents.
 */
@Injectable()
export class WalletLedgerProjection implements WalletEventHandler {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async prepare(): Promise<void> {
    // The ledger endpoint pages one wallet's lines.
    await this.readStore.declareIndexes(LEDGER_COLLECTION, [['walletId']]);
  }

  handle({ walletId, recorded, event, state }: WalletEventInContext): Handled {
    return { writes: ledgerWrites(walletId, recorded, event, state) };
  }
}
