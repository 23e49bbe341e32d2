/**
 * What revenue recognition learns from the wallets' integration events (never from wallet
 * streams). Amounts are micro-credits; a grant's cost basis is in millionths of the minor unit
 * of its currency per credit. `eventId` is the wallet event's, `at` the date it counts on.
 */
interface Fact {
  readonly eventId: string;
  readonly customerId: string;
  readonly grantId: string;
  readonly at: Date;
}

type RevenueEvent<Type extends string, Data> = {
  readonly type: Type;
  readonly data: Fact & Readonly<Data>;
};

export interface CostBasis {
  readonly currency: string;
  readonly microsPerCredit: bigint;
}

/** Credits granted at a price: a contract liability (deferred revenue) of amount × cost basis. */
export type CreditsPurchased = RevenueEvent<
  'CreditsPurchased',
  { amount: bigint; costBasis: CostBasis }
>;
/** Credits of a grant burned by usage (at the usage's own time): revenue is recognised. */
export type CreditsBurned = RevenueEvent<'CreditsBurned', { amount: bigint; costBasis: CostBasis }>;
/**
 * Credits of a grant that will never be used: expired at the grant's expiry, or taken away by an
 * operator. Breakage: revenue recognised when the customer's right to them lapses.
 */
export type CreditsForfeited = RevenueEvent<
  'CreditsForfeited',
  { amount: bigint; costBasis: CostBasis; reason: 'expired' | 'deducted' }
>;
/** Unused credits of a grant paid back: deferred revenue falls, money is returned. */
export type CreditsRefunded = RevenueEvent<
  'CreditsRefunded',
  { amount: bigint; costBasis: CostBasis }
>;

export type RevenueFact = CreditsPurchased | CreditsBurned | CreditsForfeited | CreditsRefunded;
