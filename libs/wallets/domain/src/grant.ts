import type { GrantKind } from './grant-kind';
import type { RolloverPolicy } from './wallet-policy';

/**
 * What one credit of a grant cost the customer, in millionths of the currency's minor unit
 * (1 cent per credit = 1,000,000). Revenue recognition multiplies burned micro-credits by it.
 */
export interface CostBasis {
  readonly currency: string;
  readonly microsPerCredit: bigint;
}

export const FREE: CostBasis = { currency: 'XXX', microsPerCredit: 0n };

/** A lot of credits. `remaining` is free to spend; `held` is earmarked by active holds. */
export interface Grant {
  readonly grantId: string;
  readonly kind: GrantKind;
  readonly amount: bigint;
  readonly remaining: bigint;
  readonly held: bigint;
  readonly costBasis: CostBasis;
  /** Lower burns first. */
  readonly priority: number;
  readonly effectiveAt: Date;
  /** null: never expires. */
  readonly expiresAt: Date | null;
  /** Features or meters it may pay for; empty: everything. */
  readonly scope: readonly string[];
  /** Where it came from: an order, an invoice, a plan period, a support ticket. */
  readonly source: string | null;
  /**
   * An allowance's own rollover terms (its plan's), in place of the wallet policy's; null: the
   * wallet policy's.
   */
  readonly rollover: RolloverPolicy | null;
  readonly grantedAt: Date;
  /** Position among the wallet's grants; the final drawdown tie-break (oldest first). */
  readonly sequence: number;
}

export const DEFAULT_GRANT_PRIORITY = 100;

/** Stands for "whatever the grant's scope": operator deductions may take from any grant. */
export const ANY_FEATURE = '*';

export function covers(grant: Grant, feature: string): boolean {
  return grant.scope.length === 0 || feature === ANY_FEATURE || grant.scope.includes(feature);
}

/** Counts at `atMs`: effective already and not yet expired. */
export function isInForce(grant: Grant, atMs: number): boolean {
  return (
    grant.effectiveAt.getTime() <= atMs &&
    (grant.expiresAt === null || grant.expiresAt.getTime() > atMs)
  );
}

/**
 * Drawdown order (DESIGN.md §4): lower priority number, then soonest expiry (never-expiring last),
 * then lower cost basis (free before paid), then oldest. Scope is a filter applied while walking.
 */
export interface DrawdownKey {
  readonly priority: number;
  readonly expiresAtMs: number;
  readonly costMicros: bigint;
  readonly sequence: number;
}

export function drawdownKey(grant: Grant): DrawdownKey {
  return {
    priority: grant.priority,
    expiresAtMs: grant.expiresAt === null ? Number.MAX_SAFE_INTEGER : grant.expiresAt.getTime(),
    costMicros: grant.costBasis.microsPerCredit,
    sequence: grant.sequence,
  };
}

export function compareDrawdownKeys(a: DrawdownKey, b: DrawdownKey): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  if (a.expiresAtMs !== b.expiresAtMs) return a.expiresAtMs - b.expiresAtMs;
  if (a.costMicros !== b.costMicros) return a.costMicros < b.costMicros ? -1 : 1;
  return a.sequence - b.sequence;
}
