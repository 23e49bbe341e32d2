import type { CostBasis } from './grant';
import type { GrantKind } from './grant-kind';
import type { WalletPolicy, RolloverPolicy } from './wallet-policy';
import type { OverageSettlementOutcome } from './wallet-commands';

/** How much one movement took from (or returned to) one grant: every credit is traceable. */
export interface GrantAllocation {
  readonly grantId: string;
  readonly amount: bigint;
}

/** Every event names the command that caused it (the idempotency key) and when it was decided. */
interface EventData {
  readonly commandId: string;
  readonly at: Date;
}

type Event<Type extends string, Data> = {
  readonly type: Type;
  readonly data: EventData & Readonly<Data>;
};

export type WalletOpened = Event<
  'WalletOpened',
  { walletId: string; customerId: string; name: string }
>;
export type WalletPolicyChanged = Event<'WalletPolicyChanged', { policy: WalletPolicy }>;
export type BudgetSet = Event<'BudgetSet', { budgetId: string; cap: bigint }>;

export type CreditsGranted = Event<
  'CreditsGranted',
  {
    grantId: string;
    kind: GrantKind;
    amount: bigint;
    costBasis: CostBasis;
    priority: number;
    effectiveAt: Date;
    expiresAt: Date | null;
    scope: readonly string[];
    source: string | null;
    /** An allowance's own rollover terms; null: the wallet policy's. */
    rollover: RolloverPolicy | null;
  }
>;

export type UsageDebited = Event<
  'UsageDebited',
  {
    usageEventId: string;
    feature: string;
    amount: bigint;
    allocations: readonly GrantAllocation[];
    /** The part no grant covered, owed as overage (it lowers the balance below zero). */
    overdraft: bigint;
    /**
     * Of `overdraft`, what the overdraft policy does not allow: usage that had already happened
     * when it was rated is booked anyway, never refused (0 when the policy covered all of it).
     */
    uncovered: bigint;
    budgetId: string | null;
    /** When the usage happened (null in events recorded before it was kept): revenue's date. */
    usageOccurredAt: Date | null;
  }
>;

/** A negative adjustment: credit taken away by an operator, not burned by usage. */
export type CreditsDeducted = Event<
  'CreditsDeducted',
  { adjustmentId: string; amount: bigint; allocations: readonly GrantAllocation[]; reason: string }
>;

/** Unused paid credits paid back: `amount` left the grant; the money is amount × `costBasis`. */
export type PurchaseRefunded = Event<
  'PurchaseRefunded',
  { refundId: string; grantId: string; amount: bigint; costBasis: CostBasis; reason: string }
>;

/** Owed overage settled outside the wallet (invoiced or written off): the balance rose by `amount`. */
export type OverageSettled = Event<
  'OverageSettled',
  { settlementId: string; amount: bigint; outcome: OverageSettlementOutcome; reference: string }
>;

export type CreditsHeld = Event<
  'CreditsHeld',
  {
    holdId: string;
    amount: bigint;
    feature: string;
    budgetId: string | null;
    earmarks: readonly GrantAllocation[];
    overdraft: bigint;
    expiresAt: Date;
  }
>;

export type HoldSettled = Event<
  'HoldSettled',
  {
    holdId: string;
    /** What the job really used; may be below, at or above the hold. */
    amount: bigint;
    /** Everything the settlement burned, earmarked or drawn afresh. */
    allocations: readonly GrantAllocation[];
    overdraft: bigint;
    /** Earmarks returned to their grants because the job used less. */
    released: readonly GrantAllocation[];
  }
>;

export type HoldReleased = Event<
  'HoldReleased',
  { holdId: string; released: readonly GrantAllocation[] }
>;
export type HoldExpired = Event<
  'HoldExpired',
  { holdId: string; released: readonly GrantAllocation[] }
>;

export type GrantExpired = Event<'GrantExpired', { grantId: string; amount: bigint }>;

export type TopUpRequested = Event<
  'TopUpRequested',
  { requestId: string; amount: bigint; available: bigint }
>;
export type LowBalanceAlerted = Event<
  'LowBalanceAlerted',
  { threshold: bigint; available: bigint }
>;
export type AllowanceUsageAlerted = Event<
  'AllowanceUsageAlerted',
  { grantId: string; percent: number; used: bigint; allowance: bigint }
>;
export type WalletDepleted = Event<'WalletDepleted', { available: bigint }>;
export type WalletRecovered = Event<'WalletRecovered', { available: bigint }>;

export type WalletEvent =
  | WalletOpened
  | WalletPolicyChanged
  | BudgetSet
  | CreditsGranted
  | UsageDebited
  | CreditsDeducted
  | PurchaseRefunded
  | OverageSettled
  | CreditsHeld
  | HoldSettled
  | HoldReleased
  | HoldExpired
  | GrantExpired
  | TopUpRequested
  | LowBalanceAlerted
  | AllowanceUsageAlerted
  | WalletDepleted
  | WalletRecovered;

export type WalletEventType = WalletEvent['type'];
