import { DISTRIBUTED_SERVICES, type ServiceName } from '../distributed/services';
import {
  withRetries,
  type BurndownApi,
  type DeadLetter,
  type LedgerLine,
  type Verification,
} from './burndown-api';

export interface WalletEvidence {
  readonly walletId: string;
  /** From the wallet's own stream (GET /v1/wallets/:id), not from the projection. */
  readonly balance: bigint;
  readonly revision: string | null;
  /** The ledger projection, every line. */
  readonly ledger: readonly LedgerLine[];
  readonly verification: Verification | { readonly error: string };
}

export interface Evidence {
  readonly wallets: readonly WalletEvidence[];
  readonly deadLetters: Readonly<
    Record<ServiceName, readonly DeadLetter[] | { readonly error: string }>
  >;
}

/** Everything the audit judges, read over HTTP once the pipeline is quiet; from scratch, not from the follower. */
export async function collectEvidence(
  api: BurndownApi,
  walletIds: readonly string[],
): Promise<Evidence> {
  const wallets: WalletEvidence[] = [];
  for (const walletId of walletIds) {
    const ledger = await withRetries(`ledger of ${walletId}`, () => api.ledger(walletId));
    const view = await withRetries(`wallet ${walletId}`, () => api.wallet(walletId));
    const verification = await withRetries(`verification of ${walletId}`, () =>
      api.verification(walletId),
    ).catch((error: Error) => ({ error: error.message }));
    wallets.push({
      walletId,
      balance: BigInt(view.balance),
      revision: view.revision,
      ledger,
      verification,
    });
  }
  const deadLetters = {} as Record<ServiceName, readonly DeadLetter[] | { error: string }>;
  for (const { name } of DISTRIBUTED_SERVICES) {
    deadLetters[name] = await withRetries(`dead letters of ${name}`, () =>
      api.deadLetters(name),
    ).catch((error: Error) => ({ error: error.message }));
  }
  return { wallets, deadLetters };
}
