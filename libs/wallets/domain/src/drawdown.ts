import { minBigint } from '@burndown/money';
import type { GrantBook } from './grant-book';
import type { GrantAllocation } from './wallet-events';

export interface Drawdown {
  readonly allocations: readonly GrantAllocation[];
  /** What no grant in force and in scope could cover. */
  readonly shortfall: bigint;
}

/**
 * Takes `amount` from the grants that may pay for `feature` at `atMs`, in drawdown order (scope,
 * priority, soonest expiry, lower cost basis, oldest). Stops at the first grant that completes it.
 */
export function drawDown(
  grants: GrantBook,
  feature: string,
  amount: bigint,
  atMs: number,
): Drawdown {
  const allocations: GrantAllocation[] = [];
  let left = amount;
  if (left === 0n) return { allocations, shortfall: left };
  grants.forEachPayer(feature, atMs, (grant) => {
    const taken = minBigint(grant.remaining, left);
    allocations.push({ grantId: grant.grantId, amount: taken });
    left -= taken;
    return left === 0n;
  });
  return { allocations, shortfall: left };
}
