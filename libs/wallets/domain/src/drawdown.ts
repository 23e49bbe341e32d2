import { minBigint } from '@burndown/money';
import type { GrantAllocation } from './wallet-events';
import type { Grant } from './wallet-state';

export interface Drawdown {
  readonly allocations: readonly GrantAllocation[];
  readonly unpaid: bigint;
}

/** Takes `amount` from grants with credit left, oldest first. */
export function drawDown(grants: readonly Grant[], amount: bigint): Drawdown {
  const allocations: GrantAllocation[] = [];
  let left = amount;
  for (const grant of grants) {
    if (left === 0n) break;
    if (grant.remaining <= 0n) continue;
    const taken = minBigint(grant.remaining, left);
    allocations.push({ grantId: grant.grantId, amount: taken });
    left -= taken;
  }
  return { allocations, unpaid: left };
}
