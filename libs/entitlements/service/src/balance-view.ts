import { isAmountText } from '@burndown/money';
import { PermanentFailure, type JsonValue, type ReadModelWrite } from '@burndown/ports';

export const BALANCE_VIEW_COLLECTION = 'entitlement_balances';

/** `wallet.balance-changed` → this service's own copy of a wallet's balance. */
export function balanceViewWrite(payload: JsonValue): ReadModelWrite {
  const record = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<
    string,
    unknown
  >;
  const text = (field: string): string => {
    const value = record[field];
    if (typeof value !== 'string') throw new PermanentFailure(`balance-changed: ${field} missing`);
    return value;
  };
  const revision = text('revision');
  if (!isAmountText(revision))
    throw new PermanentFailure(`balance-changed: revision ${revision} invalid`);
  const walletId = text('walletId');
  return {
    collection: BALANCE_VIEW_COLLECTION,
    id: walletId,
    // Guarded by wallet revision: late or repeated messages never roll a balance back.
    version: BigInt(revision),
    document: {
      walletId,
      customerId: text('customerId'),
      balance: text('balance'),
      available: text('available'),
      revision,
      updatedAt: text('occurredAt'),
    },
  };
}
