import {
  activeHoldsTotal,
  availableAt,
  balanceAt,
  encodeShape,
  walletPolicyShape,
  type Hold,
  type OpenWalletState,
} from '@burndown/wallet-domain';

export function holdView(hold: Hold) {
  return {
    id: hold.holdId,
    amount: hold.amount.toString(),
    feature: hold.feature,
    budgetId: hold.budgetId,
    earmarks: hold.earmarks.map(({ grantId, amount }) => ({ grantId, amount: amount.toString() })),
    overdraft: hold.overdraft.toString(),
    placedAt: hold.placedAt.toISOString(),
    expiresAt: hold.expiresAt.toISOString(),
  };
}

/** The wallet as the API shows it at `now`; amounts in micro-credits as strings. */
export function walletView(state: OpenWalletState, revision: bigint | undefined, now: Date) {
  return {
    id: state.walletId,
    customerId: state.customerId,
    unit: 'micro-credits',
    balance: balanceAt(state, now).toString(),
    available: availableAt(state, now).toString(),
    held: activeHoldsTotal(state).toString(),
    overage: state.overage.toString(),
    revision: revision?.toString() ?? null,
    policy: encodeShape(state.policy, walletPolicyShape),
    grants: [...state.grants.all()]
      .filter((grant) => grant.remaining > 0n || grant.held > 0n)
      .map((grant) => ({
        id: grant.grantId,
        kind: grant.kind,
        amount: grant.amount.toString(),
        remaining: grant.remaining.toString(),
        held: grant.held.toString(),
        priority: grant.priority,
        costBasis: {
          currency: grant.costBasis.currency,
          microsPerCredit: grant.costBasis.microsPerCredit.toString(),
        },
        scope: grant.scope,
        effectiveAt: grant.effectiveAt.toISOString(),
        expiresAt: grant.expiresAt?.toISOString() ?? null,
        source: grant.source,
        grantedAt: grant.grantedAt.toISOString(),
      })),
    holds: [...state.holds.values()].map(holdView),
    budgets: [...state.budgets.values()].map((budget) => ({
      id: budget.budgetId,
      cap: budget.cap.toString(),
      used: budget.used.toString(),
    })),
  };
}
