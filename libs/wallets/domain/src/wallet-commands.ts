import type { RolloverPolicy } from './wallet-policy';
import type { CostBasis } from './grant';
import type { GrantKind } from './grant-kind';
import type { WalletPolicy } from './wallet-policy';

/** Every command carries its id (the idempotency key) and the time it is decided at. */
interface CommandData {
  readonly commandId: string;
  readonly at: Date;
}

type Command<Type extends string, Data> = CommandData & { readonly type: Type } & Readonly<Data>;

export type OpenWallet = Command<
  'OpenWallet',
  { walletId: string; customerId: string; name: string }
>;
export type ChangeWalletPolicy = Command<'ChangeWalletPolicy', { policy: WalletPolicy }>;
/** A sub-budget of an org pool: a team or user may spend at most `cap` of the pool's credit. */
export type SetBudget = Command<'SetBudget', { budgetId: string; cap: bigint }>;

export type GrantCredits = Command<
  'GrantCredits',
  {
    grantId: string;
    kind: GrantKind;
    amount: bigint;
    costBasis?: CostBasis;
    priority?: number;
    effectiveAt?: Date;
    expiresAt?: Date | null;
    scope?: readonly string[];
    source?: string | null;
  }
>;

export type DebitUsage = Command<
  'DebitUsage',
  {
    usageEventId: string;
    feature: string;
    amount: bigint;
    budgetId?: string | null;
    /** When the usage happened, by the sender's clock: revenue is recognised then. */
    occurredAt?: Date | null;
    /**
     * The usage already happened (rated usage from the pipeline): it is recorded whatever the
     * credit, and what the overdraft policy does not allow is booked as uncovered overage. Absent:
     * a debit request, which the policy may refuse (402).
     */
    alreadyHappened?: boolean;
  }
>;

/** Positive: credit added (kind `adjustment`). Negative: credit deducted. Never an edit. */
export type AdjustCredits = Command<
  'AdjustCredits',
  { adjustmentId: string; amount: bigint; reason: string }
>;
/** Credit given back, as a new grant of kind `refund`. */
export type RefundCredits = Command<
  'RefundCredits',
  {
    refundId: string;
    amount: bigint;
    reason: string;
    costBasis?: CostBasis;
    source?: string | null;
  }
>;

/**
 * Money paid back for credits of a paid grant that were not used: they leave the grant, and the
 * refund is recorded at the grant's cost basis (deferred revenue falls by as much).
 */
export type RefundPurchase = Command<
  'RefundPurchase',
  { refundId: string; grantId: string; amount: bigint; reason: string }
>;

/** How owed overage left the wallet: billed on an invoice, or forgiven. */
export const OVERAGE_SETTLEMENT_OUTCOMES = ['invoiced', 'written-off'] as const;
export type OverageSettlementOutcome = (typeof OVERAGE_SETTLEMENT_OUTCOMES)[number];

/**
 * Overage the wallet owed is settled outside it: billed (`reference` names the invoice) or written
 * off. The balance rises by `amount`; no grant changes, so no revenue moves in the wallet.
 */
export type SettleOverage = Command<
  'SettleOverage',
  { settlementId: string; amount: bigint; outcome: OverageSettlementOutcome; reference: string }
>;

export type PlaceHold = Command<
  'PlaceHold',
  { holdId: string; amount: bigint; feature: string; expiresAt: Date; budgetId?: string | null }
>;
export type SettleHold = Command<'SettleHold', { holdId: string; amount: bigint }>;
export type ReleaseHold = Command<'ReleaseHold', { holdId: string }>;

/** Time-driven: issued by the scheduler at or after the hold's or grant's expiry. */
export type ExpireHold = Command<'ExpireHold', { holdId: string }>;
export type ExpireGrant = Command<'ExpireGrant', { grantId: string }>;
/**
 * Time-driven: the allowance of a new billing period, expiring at its end; `rollover`, when given
 * (a subscription's plan), decides what of it rolls over instead of the wallet policy.
 */
export type StartAllowancePeriod = Command<
  'StartAllowancePeriod',
  {
    periodId: string;
    amount: bigint;
    periodEnd: Date;
    costBasis?: CostBasis;
    rollover?: RolloverPolicy | null;
  }
>;

export type WalletCommand =
  | OpenWallet
  | ChangeWalletPolicy
  | SetBudget
  | GrantCredits
  | DebitUsage
  | AdjustCredits
  | RefundCredits
  | RefundPurchase
  | SettleOverage
  | PlaceHold
  | SettleHold
  | ReleaseHold
  | ExpireHold
  | ExpireGrant
  | StartAllowancePeriod;

export type WalletCommandType = WalletCommand['type'];
