import type { WalletEvidence } from './collect-evidence';

export interface BalanceAudit {
  readonly walletId: string;
  /** Folded from the wallet's stream. */
  readonly balance: string;
  /** Sum of every ledger line's amount (grants positive, debits negative). */
  readonly ledgerSum: string;
  /** What the harness granted, and what the ledger shows as granted. */
  readonly granted: string;
  readonly ledgerGrants: string;
  readonly debits: number;
  readonly debited: string;
  /** Lines other than grants and debits (the harness makes none). */
  readonly otherLines: number;
  readonly chain: string;
  /** Empty when the wallet adds up. */
  readonly problems: readonly string[];
}

/**
 * Per wallet: balance == sum of its ledger lines == granted − debited, the last line's
 * balanceAfter is the balance, and the wallet's hash chain verifies from its first event.
 */
export function auditBalances(
  wallets: readonly WalletEvidence[],
  granted: ReadonlyMap<string, bigint>,
): BalanceAudit[] {
  return wallets.map((wallet) => {
    let ledgerSum = 0n;
    let ledgerGrants = 0n;
    let debited = 0n;
    let debits = 0;
    let otherLines = 0;
    for (const line of wallet.ledger) {
      const amount = BigInt(line.amount);
      ledgerSum += amount;
      if (line.entryType === 'grant') ledgerGrants += amount;
      else if (line.entryType === 'debit') {
        debited -= amount;
        debits++;
      } else otherLines++;
    }
    const grantedByHarness = granted.get(wallet.walletId) ?? 0n;
    const problems: string[] = [];
    if (wallet.balance !== ledgerSum)
      problems.push(
        `balance ${wallet.balance} ≠ sum of ledger lines ${ledgerSum} (off by ${wallet.balance - ledgerSum})`,
      );
    if (ledgerGrants !== grantedByHarness)
      problems.push(`ledger grants ${ledgerGrants} ≠ granted ${grantedByHarness}`);
    if (otherLines === 0 && wallet.balance !== grantedByHarness - debited)
      problems.push(`balance ${wallet.balance} ≠ granted − debited ${grantedByHarness - debited}`);
    const lastBalance = wallet.ledger.at(-1)?.balanceAfter;
    if (lastBalance !== undefined && BigInt(lastBalance) !== wallet.balance)
      problems.push(`last ledger line's balanceAfter ${lastBalance} ≠ balance ${wallet.balance}`);
    const chain = chainVerdict(wallet.verification);
    if (chain !== 'intact') problems.push(`hash chain: ${chain}`);
    return {
      walletId: wallet.walletId,
      balance: wallet.balance.toString(),
      ledgerSum: ledgerSum.toString(),
      granted: grantedByHarness.toString(),
      ledgerGrants: ledgerGrants.toString(),
      debits,
      debited: debited.toString(),
      otherLines,
      chain,
      problems,
    };
  });
}

function chainVerdict(verification: WalletEvidence['verification']): string {
  if ('error' in verification) return `not verified: ${verification.error}`;
  if (verification.intact) return 'intact';
  return `broken at revision ${verification.brokenAtRevision}: ${verification.reason}`;
}
