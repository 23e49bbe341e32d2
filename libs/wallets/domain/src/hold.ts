import type { GrantAllocation } from './wallet-events';

/**
 * Credits reserved for a job before it runs. The reserved credit is earmarked on specific grants
 * (moved from their `remaining` to `held`), so what the hold promised is there when it settles.
 */
export interface Hold {
  readonly holdId: string;
  readonly amount: bigint;
  readonly feature: string;
  readonly budgetId: string | null;
  readonly earmarks: readonly GrantAllocation[];
  /** Part of the hold no grant covered, allowed as overdraft under `allow-to-limit`. */
  readonly overdraft: bigint;
  readonly placedAt: Date;
  readonly expiresAt: Date;
}
