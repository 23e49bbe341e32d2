import { balanceOf, type OpenWalletState } from '@burndown/wallet-domain';

/** The wallet as the API shows it; amounts in micro-credits as strings. */
export function walletView(state: OpenWalletState, revision: bigint | undefined) {
  const balance = balanceOf(state).toString();
  return {
    id: state.walletId,
    customerId: state.customerId,
    unit: 'micro-credits',
    balance,
    // Holds arrive with the full ledger; until then nothing is reserved.
    available: balance,
    unpaid: state.unpaid.toString(),
    revision: revision?.toString() ?? null,
    grants: state.grants.map((grant) => ({
      id: grant.grantId,
      kind: grant.kind,
      amount: grant.amount.toString(),
      remaining: grant.remaining.toString(),
      grantedAt: grant.grantedAt.toISOString(),
    })),
  };
}
