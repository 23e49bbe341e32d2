import type { AccountingMonth } from './accounting-month';

export const MOVEMENT_KINDS = ['purchased', 'recognised', 'breakage', 'refunded'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/**
 * One line of the revenue journal, in exact money (10^-12 minor units, see exact-money.ts) and
 * in minor units.
 * `purchased` adds to deferred revenue; the other kinds take from it.
 */
export interface RevenueMovement {
  /** The wallet event and grant it comes from: the same fact always makes the same line. */
  readonly id: string;
  readonly customerId: string;
  readonly currency: string;
  readonly kind: MovementKind;
  readonly exact: bigint;
  /** The same in minor units of the currency, rounded per grant (see recognise). */
  readonly minor: bigint;
  readonly grantId: string;
  /** The month it is booked in: its own, or the first open one when that was closed. */
  readonly month: AccountingMonth;
  /** The month it happened in; differs from `month` for a late item. */
  readonly occurredIn: AccountingMonth;
  readonly late: boolean;
  /** When the grant was bought: the row of the deferred-revenue waterfall it moves. */
  readonly purchasedIn: AccountingMonth;
}
