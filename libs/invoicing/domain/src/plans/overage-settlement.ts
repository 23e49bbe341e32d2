import { roundToMinorUnits } from '../exact-money';
import type { OveragePricing } from './plan-definition';

/** A wallet's overage counters (micro-credits): booked in all, and the part its policy did not allow. */
export interface OverageCounters {
  readonly booked: bigint;
  readonly uncovered: bigint;
}

export const NO_OVERAGE_COUNTERS: OverageCounters = { booked: 0n, uncovered: 0n };

/** How one billing period's overage is settled. */
export interface OverageSettlement {
  /** The counters this settlement reached: the next period's settlement starts from them. */
  readonly through: OverageCounters;
  /** Micro-credits billed on the period's overage invoice. */
  readonly invoicedCredits: bigint;
  /** Micro-credits forgiven: uncovered usage of a `write-off` plan, or too little to bill. */
  readonly writtenOffCredits: bigint;
  /** What the invoice charges, in minor units: invoiced credits × the plan's price, rounded once. */
  readonly amount: bigint;
}

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);

/**
 * The overage booked since the previous settlement (`from`) up to `now`, priced by the plan.
 * Never more than the wallet owes at the moment (`owed`): what was settled some other way
 * meanwhile (by an operator, say) is not billed again. An amount that rounds to nothing is
 * written off rather than invoiced for 0.
 */
export function settlePeriodOverage(
  pricing: OveragePricing,
  now: OverageCounters & { readonly owed: bigint },
  from: OverageCounters,
): OverageSettlement {
  const booked = max(0n, now.booked - from.booked);
  const uncovered = min(booked, max(0n, now.uncovered - from.uncovered));
  const forgiven = pricing.uncovered === 'write-off' ? uncovered : 0n;
  let invoicedCredits = min(booked - forgiven, max(0n, now.owed));
  let writtenOffCredits = min(forgiven, max(0n, now.owed - invoicedCredits));
  let amount = roundToMinorUnits(invoicedCredits * pricing.microsPerCredit);
  if (amount === 0n) {
    writtenOffCredits += invoicedCredits;
    invoicedCredits = 0n;
    amount = 0n;
  }
  return {
    through: { booked: now.booked, uncovered: now.uncovered },
    invoicedCredits,
    writtenOffCredits,
    amount,
  };
}
