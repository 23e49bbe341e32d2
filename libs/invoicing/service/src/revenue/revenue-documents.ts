import { PermanentFailure, type JsonObject } from '@burndown/ports';
import {
  isAccountingMonth,
  MOVEMENT_KINDS,
  type GrantRevenue,
  type MovementKind,
  type RevenueLine,
} from '@burndown/invoicing-domain';

/**
 * One document per journal line: a grant's movements of one kind and month, id =
 * `<walletId>/<grant>/<kind>/<month booked>/<month it happened>` (grant ids are a wallet's own).
 */
export const REVENUE_LINES = 'revenue_lines';
/** What recognition keeps per paid grant, id = `<walletId>/<grantId>`. */
export const REVENUE_GRANTS = 'revenue_grants';
/** Per wallet, the revision of the last wallet message applied, id = the wallet id. */
export const REVENUE_WALLETS = 'revenue_wallets';

export const grantDocument = (grant: GrantRevenue): JsonObject => ({
  purchasedIn: grant.purchasedIn,
  takenExact: grant.takenExact.toString(),
});

export function grantOfDocument(document: JsonObject): GrantRevenue {
  const { purchasedIn, takenExact } = document;
  if (!isAccountingMonth(purchasedIn) || typeof takenExact !== 'string')
    throw new PermanentFailure(
      `${REVENUE_GRANTS}: unreadable document ${JSON.stringify(document)}`,
    );
  return { purchasedIn, takenExact: BigInt(takenExact) };
}

export const walletDocument = (appliedThrough: bigint): JsonObject => ({
  appliedThrough: appliedThrough.toString(),
});

export function appliedThroughOf(document: JsonObject): bigint {
  const { appliedThrough } = document;
  if (typeof appliedThrough !== 'string' || !/^\d+$/.test(appliedThrough))
    throw new PermanentFailure(
      `${REVENUE_WALLETS}: unreadable document ${JSON.stringify(document)}`,
    );
  return BigInt(appliedThrough);
}

export const lineDocument = (line: RevenueLine): JsonObject => ({
  customerId: line.customerId,
  currency: line.currency,
  kind: line.kind,
  exact: line.exact.toString(),
  minor: line.minor.toString(),
  grantId: line.grantId,
  month: line.month,
  occurredIn: line.occurredIn,
  late: line.late,
  purchasedIn: line.purchasedIn,
  items: line.items,
});

export function lineOfDocument(id: string, document: JsonObject): RevenueLine {
  const field = (name: string): string => {
    const value = document[name];
    if (typeof value !== 'string') throw new Error(`${REVENUE_LINES}/${id}: ${name} missing`);
    return value;
  };
  const kind = field('kind');
  if (!(MOVEMENT_KINDS as readonly string[]).includes(kind))
    throw new Error(`${REVENUE_LINES}/${id}: unknown kind ${kind}`);
  return {
    id,
    customerId: field('customerId'),
    currency: field('currency'),
    kind: kind as MovementKind,
    exact: BigInt(field('exact')),
    minor: BigInt(field('minor')),
    grantId: field('grantId'),
    month: field('month'),
    occurredIn: field('occurredIn'),
    late: document['late'] === true,
    purchasedIn: field('purchasedIn'),
    items: count(document['items'], id),
  };
}

function count(value: unknown, id: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw new Error(`${REVENUE_LINES}/${id}: items is not a count`);
  return value;
}
