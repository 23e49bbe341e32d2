import { monthOf, postingMonth, type AccountingMonth } from './accounting-month';
import { exactValueOf, roundToMinorUnits } from './exact-money';
import type { RevenueFact } from './revenue-events';
import type { MovementKind, RevenueMovement } from './revenue-movement';

/** All recognition keeps of a paid grant between two facts about it. */
export interface GrantRevenue {
  readonly purchasedIn: AccountingMonth;
  /** Exact value taken from the grant so far: burned, forfeited and refunded. */
  readonly takenExact: bigint;
}

const KIND_OF_FACT: { readonly [Type in RevenueFact['type']]: MovementKind } = {
  CreditsPurchased: 'purchased',
  CreditsBurned: 'recognised',
  CreditsForfeited: 'breakage',
  CreditsRefunded: 'refunded',
};

/**
 * The journal line of one fact about `grant` (undefined before the first), booked in the first open month (`closedThrough` and every month
 * before it are closed): a purchase defers amount × cost basis; a burn recognises it, an expiry
 * or a deduction books it as breakage, a refund returns it. Credits that cost nothing
 * (promotional, allowances without a price) move no money and make no line.
 *
 * Minor units are rounded per grant on what was taken from it so far, not per line: the lines of
 * a grant that is used up add up to exactly its price, and its deferred rest is never negative.
 */
export function recognise(
  grant: GrantRevenue | undefined,
  fact: RevenueFact,
  closedThrough: AccountingMonth | null,
): { readonly grant: GrantRevenue | undefined; readonly movement: RevenueMovement | undefined } {
  const { data } = fact;
  const exact = exactValueOf(data.amount, data.costBasis.microsPerCredit);
  if (exact === 0n) return { grant, movement: undefined };
  const occurredIn = monthOf(data.at);
  // A grant bought before recognition started counts as bought when first seen.
  const before = grant ?? { purchasedIn: occurredIn, takenExact: 0n };
  const purchase = fact.type === 'CreditsPurchased';
  const after = purchase ? before : { ...before, takenExact: before.takenExact + exact };
  const minor = purchase
    ? roundToMinorUnits(exact)
    : roundToMinorUnits(after.takenExact) - roundToMinorUnits(before.takenExact);
  const posting = postingMonth(occurredIn, closedThrough);
  return {
    grant: after,
    movement: {
      id: `${data.eventId}:${data.grantId}`,
      customerId: data.customerId,
      currency: data.costBasis.currency,
      kind: KIND_OF_FACT[fact.type],
      exact,
      minor,
      grantId: data.grantId,
      month: posting.month,
      occurredIn,
      late: posting.late,
      purchasedIn: before.purchasedIn,
    },
  };
}
