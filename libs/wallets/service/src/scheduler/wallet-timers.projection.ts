import { Inject, Injectable } from '@nestjs/common';
import { READ_STORE, everyDocument, type ReadStore } from '@burndown/ports';
import { nextDueAt } from '@burndown/wallet-domain';
import type { Handled } from '@burndown/runtime';
import type { WalletEventHandler, WalletEventInContext } from '../wallet-event-handler';
import { DueWallets } from './due-wallets';

export const TIMERS_COLLECTION = 'wallet_timers';
const PAGE = 500;

/**
 * Wallet events → when each wallet next has time-driven work (a hold timing out, a grant
 * expiring, an allowance period starting). Stored with the fan-out's checkpoint, so after a
 * restart the due list is read back instead of replaying every wallet.
 */
@Injectable()
export class WalletTimersProjection implements WalletEventHandler {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly due: DueWallets,
  ) {}

  async prepare(): Promise<void> {
    for await (const { id, document } of everyDocument(
      this.readStore,
      TIMERS_COLLECTION,
      undefined,
      PAGE,
    ))
      this.due.set(
        id,
        typeof document['dueAt'] === 'string' ? new Date(document['dueAt']) : undefined,
      );
  }

  handle({ walletId, recorded, state }: WalletEventInContext): Handled | undefined {
    if (state.status !== 'open') return undefined;
    const dueAt = nextDueAt(state);
    // In memory at once; a restart reads the stored due times back and walks on from the checkpoint.
    this.due.set(walletId, dueAt);
    return {
      writes: [
        {
          collection: TIMERS_COLLECTION,
          id: walletId,
          document: { walletId, dueAt: dueAt?.toISOString() ?? null },
          version: recorded.revision,
        },
      ],
    };
  }
}
